import { beforeEach, describe, expect, it } from 'vitest';
import { makeHandler as makeOpenPeriod } from '../../functions/open-period';
import { organization } from '../../shared/config';
import { sha256 } from '../../shared/crypto';
import type { InviteJob } from '../../shared/features/intake/fanout';
import { ingestUpload } from '../../shared/features/intake/ingest';
import type { IntakeState, IntakeStore, Invite } from '../../shared/features/intake/ports';
import {
  type IntakeDeps,
  IntakeError,
  inspectInvite,
  issueInvite,
  openPeriod,
  presignForInvite,
  reopenDivision,
  sendReminders,
} from '../../shared/features/intake/service';
import { newIntakeUploadKey, XLSX_TYPE } from '../../shared/features/intake/upload-keys';
import { buildSubmissionXlsx } from '../../shared/features/intake/xlsx';
import type { AuditEntry, BlobStore, MailMessage, Repository, StoredSubmission, UploadRecord } from '../../shared/ports';
import ttkc from '../../shared/sample/submissions/2021-Q1/TTKC.json' with { type: 'json' };
import { getTemplate } from '../../shared/templates';
import { MemoryLedger } from '../fakes/memory-ledger';

/** In-memory intake store: the same contract as DynamoIntakeStore. */
class MemoryIntake implements IntakeStore {
  invites = new Map<string, Invite>();
  states = new Map<string, IntakeState>();
  async putInvite(i: Invite) {
    this.invites.set(i.linkHash, structuredClone(i));
  }
  async getInvite(h: string) {
    return structuredClone(this.invites.get(h));
  }
  async listInvites(p: string) {
    return [...this.invites.values()].filter((i) => i.periodId === p);
  }
  async revokeInvite(h: string, at: string) {
    const i = this.invites.get(h)!;
    i.revoked = true;
    i.revokedAt ??= at;
  }
  private state(p: string, d: string) {
    const k = `${p}/${d}`;
    if (!this.states.has(k)) this.states.set(k, { periodId: p, divisionId: d, remindersSent: 0 });
    return this.states.get(k)!;
  }
  async getState(p: string, d: string) {
    return this.states.get(`${p}/${d}`);
  }
  async listStates(p: string) {
    return [...this.states.values()].filter((s) => s.periodId === p);
  }
  async markReopened(p: string, d: string, r: { at: string; by: string; until: string }) {
    Object.assign(this.state(p, d), { reopenedAt: r.at, reopenedBy: r.by, reopenedUntil: r.until });
  }
  async recordReminder(p: string, d: string, at: string) {
    const s = this.state(p, d);
    s.remindersSent++;
    s.lastReminderAt = at;
  }
  async recordUploadOutcome(p: string, d: string, o: { status: 'accepted' | 'refused'; at: string; key: string }) {
    Object.assign(this.state(p, d), { lastUploadStatus: o.status, lastUploadAt: o.at, lastUploadKey: o.key });
  }
}

/** The part of the Repository intake and ingest use. */
function memoryRepo() {
  const uploads = new Map<string, UploadRecord>();
  const subs: StoredSubmission[] = [];
  const audit: Array<{ scope: string } & AuditEntry> = [];
  const repo: Partial<Repository> = {
    getUpload: async (k) => uploads.get(k),
    currentSubmissions: async (ids) =>
      ids.flatMap((p) => {
        const mine = subs.filter((s) => s.periodId === p);
        const last = new Map(mine.map((s) => [s.divisionId, s]));
        return [...last.values()];
      }),
    appendPeriodAudit: async (quarterId, e) => void audit.push({ scope: quarterId, ...e }),
  };
  return { repo: repo as Repository, uploads, subs, audit };
}

function memoryBlobs() {
  const objects = new Map<string, { body: Buffer; type: string }>();
  const blobs: Partial<BlobStore> = {
    put: async (key, body, type) => (objects.set(key, { body: Buffer.from(body), type }), { etag: sha256(Buffer.from(body)) }),
    get: async (key) => objects.get(key)!.body,
    head: async (key) => {
      const o = objects.get(key);
      return o && { size: o.body.length, contentType: o.type, etag: sha256(o.body) };
    },
    presignPost: async (key, opts) => ({ url: 'http://s3.test/bucket', fields: { key, 'Content-Type': opts.contentType } }),
  };
  return blobs as BlobStore;
}

const template = getTemplate('cchc');
let clock: Date;
let deps: IntakeDeps & { sent: MailMessage[] };
let mem: ReturnType<typeof memoryRepo>;
let intake: MemoryIntake;

beforeEach(() => {
  clock = new Date('2021-03-01T02:00:00Z');
  mem = memoryRepo();
  intake = new MemoryIntake();
  const sent: MailMessage[] = [];
  deps = {
    sent,
    repo: mem.repo,
    blobs: memoryBlobs(),
    mailer: { send: async (m) => (sent.push(m), { messageId: String(sent.length) }) },
    intake,
    organization,
    template,
    now: () => clock,
    baseUrl: 'https://baocao.example/',
  };
});

const secretIn = (m: MailMessage) => /\/nop\/([A-Za-z0-9_-]{43})/.exec(m.text)![1];

describe('invites', () => {
  it('stores only the SHA-256 of the 256-bit link secret and mails the link', async () => {
    const { secret, url, invite } = await issueInvite(deps, { periodId: '2021-Q1', divisionId: 'VP', reason: 'open', issuedBy: 'vp@x' });
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(url).toBe(`https://baocao.example/nop/${secret}`);
    expect(invite.linkHash).toBe(sha256(secret));
    const stored = JSON.stringify([...intake.invites.values(), mem.audit]);
    expect(stored).not.toContain(secret);
    expect(deps.sent[0].to).toEqual(['khoa.vp@sct-dongnai.example']);
    expect(deps.sent[0].text).toContain(url);
    expect(deps.sent[0].text).toContain('20/03/2021');
  });

  it('opens a quarter for every division, bound to the division and quarter', async () => {
    const res = await openPeriod(deps, '2021-Q1', 'vp@x');
    expect(res.sent.map((s) => s.divisionId)).toEqual(organization.divisions.map((d) => d.id));
    const ttra = deps.sent.find((m) => m.to.includes('hung.tt@sct-dongnai.example'))!;
    const check = await inspectInvite(deps, secretIn(ttra));
    expect(check).toMatchObject({ ok: true, invite: { divisionId: 'TTRA', periodId: '2021-Q1' }, lock: { locked: false } });
  });

  it('treats a tampered or malformed link as unknown', async () => {
    const { secret } = await issueInvite(deps, { periodId: '2021-Q1', divisionId: 'VP', reason: 'open', issuedBy: 'x' });
    const flipped = secret.slice(0, 10) + (secret[10] === 'a' ? 'b' : 'a') + secret.slice(11);
    await expect(inspectInvite(deps, flipped)).resolves.toEqual({ ok: false, problem: 'unknown' });
    await expect(inspectInvite(deps, secret.slice(0, -1))).resolves.toEqual({ ok: false, problem: 'unknown' });
    await expect(inspectInvite(deps, `${secret}/../x`)).resolves.toEqual({ ok: false, problem: 'unknown' });
  });

  it('expires at the deadline plus the grace, and refuses to open a quarter already past it', async () => {
    const { secret } = await issueInvite(deps, { periodId: '2021-Q1', divisionId: 'VP', reason: 'open', issuedBy: 'x' });
    clock = new Date('2021-03-25T16:59:59.000Z'); // 20/03 23:59:59.999 + 5 days, less a second
    expect((await inspectInvite(deps, secret)).ok).toBe(true);
    clock = new Date('2021-03-25T17:00:00.000Z');
    await expect(inspectInvite(deps, secret)).resolves.toEqual({ ok: false, problem: 'expired' });
    await expect(openPeriod(deps, '2021-Q1', 'x')).rejects.toThrow(IntakeError);
    expect(deps.sent).toHaveLength(1);
  });

  it('shows the page but refuses uploads between the deadline and the end of the grace', async () => {
    const { secret } = await issueInvite(deps, { periodId: '2021-Q1', divisionId: 'VP', reason: 'open', issuedBy: 'x' });
    clock = new Date('2021-03-22T02:00:00Z');
    const check = await inspectInvite(deps, secret);
    expect(check).toMatchObject({ ok: true, lock: { locked: true } });
    await expect(presignForInvite(deps, secret, 'json')).rejects.toMatchObject({
      status: 423,
      message: expect.stringContaining('đã khóa sổ'),
    });
  });

  it('reopening revokes the earlier links and mails a fresh one that unlocks the quarter', async () => {
    const first = await issueInvite(deps, { periodId: '2021-Q1', divisionId: 'VP', reason: 'open', issuedBy: 'x' });
    clock = new Date('2021-03-28T02:00:00Z');
    const res = await reopenDivision(deps, '2021-Q1', 'VP', 'compiler@x');
    expect(res.reopenedUntil).toBe('2021-04-02T02:00:00.000Z');
    await expect(inspectInvite(deps, first.secret)).resolves.toEqual({ ok: false, problem: 'revoked' });
    const fresh = secretIn(deps.sent.at(-1)!);
    expect(deps.sent.at(-1)!.subject).toContain('Mở lại');
    expect(await inspectInvite(deps, fresh)).toMatchObject({ ok: true, lock: { locked: false } });
    const post = await presignForInvite(deps, fresh, 'xlsx');
    expect(post.key).toMatch(new RegExp(`^raw/2021-Q1/VP/n-${sha256(fresh)}-.+\\.xlsx$`));
    expect(post.fields['Content-Type']).toBe(XLSX_TYPE);
  });
});

describe('reminders', () => {
  it('mails a fresh link to the divisions still missing and counts it', async () => {
    await openPeriod(deps, '2021-Q1', 'x');
    mem.subs.push({
      version: 1,
      divisionId: 'VP',
      periodId: '2021-Q1',
      submission: {} as never,
      submittedAt: clock.toISOString(),
      rawKey: 'k',
      sha256: 'h',
      warnings: [],
    });
    deps.sent.length = 0;
    clock = new Date('2021-03-17T01:00:00Z');
    const res = await sendReminders(deps, '2021-Q1', 'scheduler');
    expect(res.reminded.map((r) => r.divisionId)).not.toContain('VP');
    expect(res.reminded).toHaveLength(organization.divisions.length - 1);
    expect(deps.sent.every((m) => m.subject.startsWith('[Nhắc nộp số liệu]'))).toBe(true);
    expect((await intake.getState('2021-Q1', 'TTRA'))?.remindersSent).toBe(1);
  });

  it('skips divisions the quarter is locked for', async () => {
    clock = new Date('2021-03-22T01:00:00Z');
    const res = await sendReminders(deps, '2021-Q1', 'x');
    expect(res.reminded).toEqual([]);
    expect(res.skipped).toHaveLength(organization.divisions.length);
  });
});

describe('ingest through an invite', () => {
  let ledger: MemoryLedger;
  beforeEach(() => {
    ledger = new MemoryLedger();
  });
  const ingestDeps = () => ({ ...deps, intake, ledger });
  const put = async (key: string, body: Buffer | string, type = 'application/json') => {
    await deps.blobs.put(key, body, type);
    return (await ingestUpload(ingestDeps(), { key })) as UploadRecord;
  };
  const accepted = () => [...ledger.audit.values()].filter((a) => a.action === 'submission.accepted');
  const sample = (period = '2021-Q1') => JSON.stringify({ ...ttkc, period });

  it('accepts an upload named after a valid invite of the division and records where it came from', async () => {
    const { invite } = await issueInvite(deps, { periodId: '2021-Q1', divisionId: 'TTKC', reason: 'open', issuedBy: 'x' });
    const rec = await put(newIntakeUploadKey('2021-Q1', 'TTKC', clock, 'json', invite.linkHash), sample());
    expect(rec).toMatchObject({ status: 'accepted', version: 1 });
    expect(accepted()[0]?.detail).toMatchObject({
      via: 'invite',
      invite: invite.linkHash.slice(0, 12),
    });
    expect((await intake.getState('2021-Q1', 'TTKC'))?.lastUploadStatus).toBe('accepted');
  });

  it('refuses an upload under another division than its invite, or with an unknown or revoked invite', async () => {
    const { invite } = await issueInvite(deps, { periodId: '2021-Q1', divisionId: 'TTKC', reason: 'open', issuedBy: 'x' });
    const other = await put(newIntakeUploadKey('2021-Q1', 'VP', clock, 'json', invite.linkHash), sample());
    expect(other).toMatchObject({ status: 'refused', errors: [{ rule: 'invite.invalid' }] });
    const unknown = await put(newIntakeUploadKey('2021-Q1', 'TTKC', clock, 'json', 'f'.repeat(64)), sample());
    expect(unknown.status).toBe('refused');
    await intake.revokeInvite(invite.linkHash, clock.toISOString());
    const revoked = await put(newIntakeUploadKey('2021-Q1', 'TTKC', clock, 'json', invite.linkHash), sample());
    expect(revoked.errors[0].message).toContain('thu hồi');
    expect(ledger.versions.size).toBe(0);
  });

  it('refuses an invite upload after the cut-off with a Vietnamese message, but not the operator path', async () => {
    const { invite } = await issueInvite(deps, { periodId: '2021-Q1', divisionId: 'TTKC', reason: 'open', issuedBy: 'x' });
    clock = new Date('2021-03-21T01:00:00Z');
    const late = await put(newIntakeUploadKey('2021-Q1', 'TTKC', clock, 'json', invite.linkHash), sample());
    expect(late).toMatchObject({ status: 'refused', errors: [{ rule: 'period.locked', message: expect.stringContaining('đã khóa sổ') }] });
    const operator = await put(newIntakeUploadKey('2021-Q1', 'TTKC', clock, 'json'), sample());
    expect(operator.status).toBe('accepted');
    expect(accepted()[0]?.detail).toMatchObject({ via: 'operator' });
  });

  it('accepts after a reopen, as a new version', async () => {
    const { invite } = await issueInvite(deps, { periodId: '2021-Q1', divisionId: 'TTKC', reason: 'open', issuedBy: 'x' });
    expect((await put(newIntakeUploadKey('2021-Q1', 'TTKC', clock, 'json', invite.linkHash), sample())).version).toBe(1);
    clock = new Date('2021-03-23T01:00:00Z');
    await reopenDivision(deps, '2021-Q1', 'TTKC', 'compiler@x');
    const fresh = sha256(secretIn(deps.sent.at(-1)!));
    expect((await put(newIntakeUploadKey('2021-Q1', 'TTKC', clock, 'json', fresh), sample())).version).toBe(2);
  });

  it('parses an .xlsx upload into a submission, and refuses an .xlsx key sent as JSON', async () => {
    const { invite } = await issueInvite(deps, { periodId: '2021-Q1', divisionId: 'TTKC', reason: 'open', issuedBy: 'x' });
    const file = await buildSubmissionXlsx({
      template,
      organization,
      divisionId: 'TTKC',
      periodId: '2021-Q1',
      prefill: { ...ttkc, indicators: { tinBai: 3 } } as never,
    });
    const key = newIntakeUploadKey('2021-Q1', 'TTKC', clock, 'xlsx', invite.linkHash);
    expect(await put(key, file, XLSX_TYPE)).toMatchObject({ status: 'accepted' });
    const [stored] = await ledger.currentSubmissions(['2021-Q1'], deps.blobs);
    expect(stored.submission.indicators).toEqual({ tinBai: 3 });
    const wrongType = await put(newIntakeUploadKey('2021-Q1', 'TTKC', clock, 'xlsx', invite.linkHash), file, 'application/json');
    expect(wrongType).toMatchObject({ status: 'refused', errors: [{ rule: 'file.type' }] });
  });
});

describe('open-period handler (EventBridge Scheduler)', () => {
  const queued: InviteJob[] = [];
  const queue = () => ({ enqueue: async (jobs: readonly InviteJob[]) => void queued.push(...jobs) });
  beforeEach(() => {
    queued.length = 0;
  });

  it('queues the quarter whose window starts on the 15th, and reminders for the quarter due next, mailing nobody itself', async () => {
    clock = new Date('2021-03-15T01:00:00Z'); // 08:00 on 15/03 in Vietnam: 2021-Q2 begins
    const handler = makeOpenPeriod(() => deps, queue);
    await expect(handler({ action: 'open' })).resolves.toEqual({
      action: 'open',
      periodId: '2021-Q2',
      queued: organization.divisions.length,
      skipped: 0,
    });
    expect(queued.map((j) => [j.periodId, j.divisionId, j.reason])).toEqual(organization.divisions.map((d) => ['2021-Q2', d.id, 'open']));
    clock = new Date('2021-03-17T01:00:00Z'); // three days before the 2021-Q1 deadline
    await expect(handler({ action: 'remind' })).resolves.toMatchObject({
      action: 'remind',
      periodId: '2021-Q1',
      queued: organization.divisions.length,
    });
    expect(deps.sent).toHaveLength(0);
  });

  it('does not queue an invite for a division that already holds a valid one', async () => {
    clock = new Date('2021-03-15T01:00:00Z');
    await issueInvite(deps, { periodId: '2021-Q2', divisionId: 'VP', reason: 'open', issuedBy: 'vp@x' });
    const res = await makeOpenPeriod(() => deps, queue)({ action: 'open' });
    expect(res).toMatchObject({ queued: organization.divisions.length - 1, skipped: 1 });
    expect(queued.map((j) => j.divisionId)).not.toContain('VP');
  });

  it('rejects an input it does not understand', async () => {
    await expect(makeOpenPeriod(() => deps, queue)({ action: 'close' })).rejects.toThrow();
    await expect(makeOpenPeriod(() => deps, queue)({ action: 'open', period: '2021' })).rejects.toThrow();
  });
});
