/**
 * Issue 10 §1–2 on the use case: an in-memory ledger whose every write yields, so concurrent
 * ingests interleave, and which can "crash" at a chosen write to leave a half-done upload.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { organization } from '../../shared/config';
import type { Issue } from '../../shared/domain/submission';
import { INGEST_LEASE_MS, type IngestDeps, ingestUpload } from '../../shared/features/intake/ingest';
import { boundIssues, MAX_RECORDED_ISSUES } from '../../shared/features/intake/limits';
import { receiptNumber } from '../../shared/features/intake/receipt';
import { reconcileUploads } from '../../shared/features/intake/reconcile';
import type { MailMessage, UploadRecord } from '../../shared/ports';
import vp from '../../shared/sample/submissions/2021-Q1/VP.json' with { type: 'json' };
import { getTemplate } from '../../shared/templates';
import { internalCodesIn } from '../e2e/ui-check';
import { memoryBlobs } from '../fakes/memory-blobs';
import { Crash, MemoryLedger } from '../fakes/memory-ledger';

let clock: Date;
let ledger: MemoryLedger;
let blobs: ReturnType<typeof memoryBlobs>;
let deps: IngestDeps & { objects: ReturnType<typeof memoryBlobs> };
let mails: MailMessage[] = [];

beforeEach(() => {
  clock = new Date('2021-03-10T02:00:00Z');
  ledger = new MemoryLedger();
  blobs = memoryBlobs();
  deps = {
    repo: { currentSubmissions: (ids) => ledger.currentSubmissions(ids, blobs) },
    ledger,
    blobs,
    objects: blobs,
    template: getTemplate('cchc'),
    organization,
    now: () => clock,
    claimOwner: 'test',
    mailer: { send: async (m: MailMessage) => (mails.push(m), { messageId: `m${mails.length}` }) },
  };
  mails = [];
});

const upload = async (name: string, body: unknown = vp) => {
  const key = `raw/2021-Q1/VP/${name}.json`;
  await blobs.put(key, JSON.stringify(body), 'application/json');
  return key;
};
const accepted = () => [...ledger.audit.values()].filter((a) => a.action === 'submission.accepted');
const versionsOf = () => [...ledger.versions.values()].map((v) => v.version).sort((a, b) => a - b);

describe('ingest exactly once per upload', () => {
  it('20 concurrent deliveries of one upload make one version and one accepted entry', async () => {
    const key = await upload('a');
    const results = await Promise.all(Array.from({ length: 20 }, () => ingestUpload(deps, { key })));
    expect(results.filter((r) => r.status === 'accepted')).not.toHaveLength(0);
    expect(results.every((r) => r.status === 'accepted' || r.status === 'processing')).toBe(true);
    expect(versionsOf()).toEqual([1]);
    expect(accepted()).toHaveLength(1);
    expect(ledger.claims.get(key)).toMatchObject({ status: 'accepted', version: 1 });
    // A later duplicate answers the recorded outcome.
    expect(await ingestUpload(deps, { key })).toMatchObject({ status: 'accepted', version: 1 });
  });

  it('two uploads at once get versions 1 and 2, and current is 2', async () => {
    const [a, b] = await Promise.all([upload('a'), upload('b', { ...vp, narratives: { ...vp.narratives } })]);
    await Promise.all([ingestUpload(deps, { key: a }), ingestUpload(deps, { key: b }), ingestUpload(deps, { key: a })]);
    expect(versionsOf()).toEqual([1, 2]);
    expect(ledger.current.get('2021-Q1/VP')?.version).toBe(2);
    expect(accepted().map((e) => e.detail.version)).toEqual(expect.arrayContaining([1, 2]));
  });

  it('a redelivered older upload never becomes current over a newer one', async () => {
    const a = await upload('a');
    const b = await upload('b');
    await ingestUpload(deps, { key: a });
    await ingestUpload(deps, { key: b });
    await ingestUpload(deps, { key: a });
    expect(versionsOf()).toEqual([1, 2]);
    expect(ledger.current.get('2021-Q1/VP')).toMatchObject({ version: 2, rawKey: b });
  });

  it('keeps the body in the blob store and only a pointer in the records', async () => {
    const key = await upload('a');
    await ingestUpload(deps, { key });
    const current = ledger.current.get('2021-Q1/VP')!;
    expect(current.bodyKey).toBe('submissions/2021-Q1/VP/v0001.json');
    expect('submission' in current).toBe(false);
    expect(JSON.parse((await blobs.get(current.bodyKey)).toString()).division).toBe('VP');
  });
});

describe('the receipt by email', () => {
  it("mails the division's contacts the receipt of an accepted submission: number, time, version; no internal code", async () => {
    const rec = (await ingestUpload(deps, { key: await upload('a') })) as UploadRecord;
    expect(rec.status).toBe('accepted');
    const division = organization.divisions.find((d) => d.id === 'VP')!;
    expect(mails).toHaveLength(1);
    const [m] = mails;
    expect(m.to).toEqual(division.contacts.map((c) => c.email));
    expect(m.subject).toContain(receiptNumber(rec));
    expect(m.text).toContain(`Số tiếp nhận: ${receiptNumber(rec)}`);
    expect(m.text).toContain('Thời gian tiếp nhận: 09:00 ngày 10/03/2021');
    expect(m.text).toContain('Lần nộp thứ: 1');
    expect(m.text).toContain('quý I/2021');
    expect(internalCodesIn(`${m.subject}\n${m.text}\n${m.html.replace(/<[^>]+>/g, ' ')}`)).toEqual([]);
    expect([...ledger.audit.values()].filter((a) => a.action === 'email.receipt')).toHaveLength(1);
  });

  it('sends no receipt for a refused upload, and one per accepted upload however many deliveries', async () => {
    await ingestUpload(deps, { key: await upload('bad', { nonsense: true }) });
    expect(mails).toHaveLength(0);
    const key = await upload('b');
    await Promise.all(Array.from({ length: 5 }, () => ingestUpload(deps, { key })));
    expect(mails).toHaveLength(1);
  });
});

describe('a crashed ingest is completed, never duplicated', () => {
  for (const step of ['setClaimVersion', 'advanceCurrent', 'appendPeriodAuditOnce', 'completeUpload'] as const) {
    it(`crash at ${step}: a later attempt after the lease completes the same version`, async () => {
      const key = await upload('a');
      ledger.crashAt = { [step]: 1 };
      await expect(ingestUpload(deps, { key })).rejects.toBeInstanceOf(Crash);
      expect(ledger.claims.get(key)?.status).toBe('processing');
      // Within the lease: a redelivery leaves it to the holder.
      expect(await ingestUpload(deps, { key })).toMatchObject({ status: 'processing' });
      clock = new Date(clock.getTime() + INGEST_LEASE_MS + 1000);
      const report = await reconcileUploads(deps);
      expect(report.resolved).toEqual([{ key, status: 'accepted' }]);
      expect(versionsOf()).toEqual([1]);
      expect(accepted()).toHaveLength(1);
      expect(ledger.current.get('2021-Q1/VP')?.version).toBe(1);
      expect(ledger.claims.get(key)).toMatchObject({ status: 'accepted', version: 1 });
    });
  }

  it('a restarted local runtime takes over claims of its previous instance at once', async () => {
    const key = await upload('a');
    ledger.crashAt = { advanceCurrent: 1 };
    await expect(ingestUpload({ ...deps, claimOwner: 'before' }, { key })).rejects.toBeInstanceOf(Crash);
    expect((await reconcileUploads({ ...deps, claimOwner: 'after' })).inProgress).toBe(1);
    const report = await reconcileUploads({ ...deps, claimOwner: 'after' }, { takeOverOtherOwners: true });
    expect(report.resolved).toEqual([{ key, status: 'accepted' }]);
    expect(versionsOf()).toEqual([1]);
  });

  it('the reconciler ingests objects no event was seen for, and leaves finished ones alone', async () => {
    const seen = await upload('a');
    await ingestUpload(deps, { key: seen });
    const lost = await upload('b');
    const broken = `raw/2021-Q1/VP/c.json`;
    await blobs.put(broken, '{"nope', 'application/json');
    const report = await reconcileUploads(deps);
    expect(report.resolved).toEqual(
      expect.arrayContaining([
        { key: lost, status: 'accepted' },
        { key: broken, status: 'refused' },
      ]),
    );
    expect(report.resolved).toHaveLength(2);
    expect(versionsOf()).toEqual([1, 2]);
    expect((await reconcileUploads(deps)).resolved).toEqual([]);
  });
});

describe('bounded refusals', () => {
  const issue = (i: number): Issue => ({ rule: 'r', field: `f${i}`, label: 'Ô', message: 'x'.repeat(5000), severity: 'error' });

  it('keeps the first errors, each cut to size, with the total and a Vietnamese "và N lỗi khác"', () => {
    const { issues, total } = boundIssues(
      Array.from({ length: 40_000 }, (_, i) => issue(i)),
      'lỗi',
    );
    expect(total).toBe(40_000);
    expect(issues).toHaveLength(MAX_RECORDED_ISSUES + 1);
    expect(issues.at(-1)?.message).toContain(`và ${40_000 - MAX_RECORDED_ISSUES} lỗi khác`);
    expect(Buffer.byteLength(JSON.stringify(issues))).toBeLessThan(150_000);
  });

  it('a refusal with many errors is recorded with its count', async () => {
    const key = await upload('many', { ...vp, indicators: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`x${i}`, 'a'])) });
    const rec = (await ingestUpload(deps, { key })) as UploadRecord;
    expect(rec.status).toBe('refused');
    expect(rec.errors.length).toBeLessThanOrEqual(MAX_RECORDED_ISSUES + 1);
    expect(rec.errorCount).toBeGreaterThan(MAX_RECORDED_ISSUES);
    expect(rec.errors.at(-1)?.message).toContain(`và ${(rec.errorCount ?? 0) - MAX_RECORDED_ISSUES} lỗi khác`);
  });
});
