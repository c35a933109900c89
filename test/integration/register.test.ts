/**
 * The organization's outgoing register and the idempotent release, on the local table (dynalite):
 * allocation under interleavings, reuse of a report's reservation by retries, the configured next
 * number, the clerk's entries and their collisions, release faults and mail failures.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo, tableSpecFromTemplate } from '../../infra/local/dynamodb';
import { synthTemplate } from '../../infra/synth';
import { DynamoRegister } from '../../shared/adapters/aws/dynamo-register';
import { DynamoRepository } from '../../shared/adapters/aws/dynamo-repository';
import { organization } from '../../shared/config';
import type { Organization } from '../../shared/config/schema';
import { aggregate } from '../../shared/domain/aggregate';
import { parsePeriod } from '../../shared/domain/periods';
import { notifyRecipients } from '../../shared/features/release/notify';
import { enterNumber, NumberTakenError, requestNumber, reserveNumber } from '../../shared/features/release/numbering';
import type { ReleaseDeps } from '../../shared/features/release/ports';
import { releaseReport } from '../../shared/features/release/release';
import type { MailMessage, ReportRecord } from '../../shared/ports';
import { getTemplate } from '../../shared/templates';
import { FakeDeskStore } from '../unit/race-fakes';

let db: LocalDynamo;
let repo: DynamoRepository;
let register: DynamoRegister;
const NOW = new Date('2021-12-16T03:00:00Z');
const template = getTemplate('cchc');
const SCOPE = { orgId: organization.id, reportType: 'cchc' };

beforeAll(async () => {
  db = await startLocalDynamo({ table: tableSpecFromTemplate(synthTemplate()) });
  repo = new DynamoRepository(db.tableName, db.client, SCOPE);
  register = new DynamoRegister(db.tableName, db.client, SCOPE);
});
afterAll(async () => db?.stop());

/** A fresh organization id per test keeps the registers apart on one table. */
let orgSeq = 0;
function org(over: Partial<Organization> = {}): Organization {
  orgSeq += 1;
  return { ...organization, id: `org-${orgSeq}`, ...over };
}

async function approvedReport(reportId: string, over: Partial<ReportRecord> = {}): Promise<ReportRecord> {
  const rec: ReportRecord = {
    reportId,
    periodId: '2021',
    status: 'awaiting_approval',
    requestedBy: 'c@x',
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    aggregateKey: `drafts/${reportId}/aggregate.json`,
    drafts: [{ version: 1, key: `drafts/${reportId}/v1.docx`, sha256: 'h', fileName: 'v1.docx', createdAt: NOW.toISOString() }],
    decisions: [],
    ...over,
  };
  await repo.createReport(rec);
  return rec;
}

function world(o: Organization, faults: { putFailures?: number; failMailTo?: Set<string> } = {}) {
  const objects = new Map<string, Buffer>();
  const sent: MailMessage[] = [];
  const succeeded: Array<{ token: string; output: Record<string, unknown> }> = [];
  let putFailures = faults.putFailures ?? 0;
  const agg = Buffer.from(JSON.stringify(aggregate(template, o, parsePeriod('2021'), [])));
  const deps: ReleaseDeps = {
    repo,
    register,
    desk: new FakeDeskStore(),
    blobs: {
      async get(key) {
        if (key.endsWith('aggregate.json')) return agg;
        const b = objects.get(key);
        if (!b) throw new Error(`no object ${key}`);
        return b;
      },
      async put(key, body) {
        if (putFailures > 0) {
          putFailures -= 1;
          throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        }
        objects.set(key, Buffer.from(body));
        return { etag: 'e' };
      },
      presignGet: async (key) => `https://s3.example/${key}`,
      async putModel(key, model) {
        objects.set(`${key}.model.json`, Buffer.from(JSON.stringify(model)));
      },
    },
    mailer: {
      async send(m) {
        if (m.to.some((t) => faults.failMailTo?.has(t))) throw new Error('SMTP 451 temporary failure');
        sent.push(m);
        return { messageId: `m${sent.length}` };
      },
    },
    workflow: { succeed: async (token, output) => void succeeded.push({ token, output }) },
    template,
    organization: o,
    baseUrl: 'https://baocao.example',
    now: () => NOW,
  };
  return { deps, objects, sent, succeeded };
}

describe('the outgoing register', () => {
  it('gives ten concurrent releases the numbers 1..10, each once', async () => {
    const o = org();
    const { deps } = world(o);
    const reports = await Promise.all(Array.from({ length: 10 }, (_, i) => approvedReport(`${o.id}-r${i}`)));
    const numbers = await Promise.all(reports.map((r) => reserveNumber(deps, r)));
    expect(numbers.map((n) => n.number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await register.highestNumber(o.id, 2021)).toBe(10);
    for (const [i, r] of reports.entries()) {
      expect((await repo.getReport(r.reportId))?.numbering?.number).toBe(numbers[i].number);
      expect((await register.getEntry(o.id, 2021, numbers[i].number))?.reportId).toBe(r.reportId);
    }
  });

  it('reuses the reservation on retries, also one an interrupted try left only in the register', async () => {
    const o = org();
    const { deps } = world(o);
    const a = await approvedReport(`${o.id}-a`);
    const first = await reserveNumber(deps, a);
    expect(await reserveNumber(deps, (await repo.getReport(a.reportId))!)).toEqual(first);
    // A try that claimed number 2 and died before writing the reservation on the report.
    const b = await approvedReport(`${o.id}-b`);
    const at = NOW.toISOString();
    expect(
      await register.claimNumber({ orgId: o.id, year: 2021, number: 2, reportId: b.reportId, issuedAt: at, recordedAt: at, by: 'system' }),
    ).toBe(true);
    expect((await reserveNumber(deps, b)).number).toBe(2);
    const c = await approvedReport(`${o.id}-c`);
    expect((await reserveNumber(deps, c)).number).toBe(3);
  });

  it('continues from the configured next number of the year (numbers issued outside the system)', async () => {
    const o = org({ numbering: { mode: 'auto', nextNumber: { year: 2021, number: 2015 } } });
    const { deps } = world(o);
    expect((await reserveNumber(deps, await approvedReport(`${o.id}-a`))).number).toBe(2015);
    expect((await reserveNumber(deps, await approvedReport(`${o.id}-b`))).number).toBe(2016);
  });
});

describe('idempotent release', () => {
  it('a fault while writing the released object keeps the number: the retry releases with it', async () => {
    const o = org();
    const { deps, objects } = world(o, { putFailures: 1 });
    const r = await approvedReport(`${o.id}-a`);
    await expect(releaseReport(deps, { reportId: r.reportId, periodId: '2021' })).rejects.toThrow('socket hang up');
    const held = await repo.getReport(r.reportId);
    expect(held).toMatchObject({ status: 'awaiting_approval', numbering: { number: 1 } });
    const release = await releaseReport(deps, { reportId: r.reportId, periodId: '2021' });
    expect(release).toMatchObject({ number: 1, documentNumber: 'Số: 01/BC-SCT' });
    expect(await repo.getReport(r.reportId)).toMatchObject({ status: 'released', release: { number: 1 } });
    expect([...objects.keys()].filter((k) => k.endsWith('.docx'))).toHaveLength(1);
    // Once more: nothing new, the same release.
    expect(await releaseReport(deps, { reportId: r.reportId, periodId: '2021' })).toEqual(
      await repo.getReport(r.reportId).then((x) => x?.release),
    );
    const next = await releaseReport(deps, { reportId: (await approvedReport(`${o.id}-b`)).reportId, periodId: '2021' });
    expect(next).toMatchObject({ number: 2 });
    expect(await register.highestNumber(o.id, 2021)).toBe(2);
    const audit = await repo.listReportAudit(r.reportId);
    expect(audit.filter((e) => e.action === 'report.released')).toHaveLength(1);
  });

  it('never releases a report that is not awaiting approval', async () => {
    const o = org();
    const { deps } = world(o);
    const r = await approvedReport(`${o.id}-a`, { status: 'returned' });
    await expect(releaseReport(deps, { reportId: r.reportId, periodId: '2021' })).rejects.toThrow(/không thể ban hành/);
    expect(await register.highestNumber(o.id, 2021)).toBe(0);
  });

  it('a mail failure leaves the report released; the retry sends only the missing mails, one per recipient', async () => {
    const o = org();
    const failMailTo = new Set(['vp@ubnd-dongnai.example']);
    const { deps, sent } = world(o, { failMailTo });
    const r = await approvedReport(`${o.id}-a`);
    await releaseReport(deps, { reportId: r.reportId, periodId: '2021' });
    await expect(notifyRecipients(deps, r.reportId)).rejects.toThrow('SMTP 451');
    expect((await repo.getReport(r.reportId))?.status).toBe('released');
    const before = sent.length;
    failMailTo.clear();
    const all = [...new Set(o.recipients.flatMap((x) => x.emails))];
    await notifyRecipients(deps, r.reportId);
    await notifyRecipients(deps, r.reportId); // a repeated step sends nothing more
    expect(sent.flatMap((m) => m.to).sort()).toEqual([...all].sort());
    expect(sent.length).toBe(all.length);
    expect(before).toBeGreaterThan(0);
    expect(sent.every((m) => m.subject.includes('01/BC-SCT') && /\/download\/[A-Za-z0-9_-]+/.test(m.text))).toBe(true);
  });
});

describe('numbers entered by the clerk of records', () => {
  it('mails a link, refuses a taken number with the next free one, reserves a free one and releases the wait', async () => {
    const o = org({ numbering: { mode: 'clerk' }, recordsClerk: { name: 'Văn thư Sở', email: 'vanthu@sct.example' } });
    const { deps, sent, succeeded } = world(o);
    const r = await approvedReport(`${o.id}-a`);
    expect(await releaseReport(deps, { reportId: r.reportId, periodId: '2021' })).toEqual({ awaitingNumber: true });
    expect(await register.highestNumber(o.id, 2021)).toBe(0); // nothing reserved before the clerk answers

    await requestNumber(deps, { taskToken: 'tok-1', reportId: r.reportId, periodId: '2021' });
    expect(sent[0].to).toEqual(['vanthu@sct.example']);
    const secret = /\/register\/([A-Za-z0-9_-]+)/.exec(sent[0].text)?.[1];
    expect(secret).toBeTruthy();

    // 2014 was already given (another document of the year, entered by the clerk earlier).
    const at = NOW.toISOString();
    await register.claimNumber({ orgId: o.id, year: 2021, number: 2014, reportId: 'other', issuedAt: at, recordedAt: at, by: 'vanthu' });
    const taken = enterNumber(deps, { secret: secret!, number: '2014', issueDate: '16/12/2021' });
    await expect(taken).rejects.toBeInstanceOf(NumberTakenError);
    await expect(taken).rejects.toMatchObject({ suggested: 2015, message: expect.stringContaining('2014/BC-SCT năm 2021 đã được cấp') });
    await expect(enterNumber(deps, { secret: secret!, number: 'abc', issueDate: '16/12/2021' })).rejects.toThrow(/Số văn bản/);
    await expect(enterNumber(deps, { secret: secret!, number: '2015', issueDate: '31/02/2021' })).rejects.toThrow(/Ngày ban hành/);

    const numbering = await enterNumber(deps, { secret: secret!, number: '2015', issueDate: '16/12/2021' });
    expect(numbering).toMatchObject({ year: 2021, number: 2015, by: 'vanthu@sct.example' });
    expect(succeeded).toEqual([{ token: 'tok-1', output: { number: 2015, year: 2021 } }]);
    await expect(enterNumber(deps, { secret: secret!, number: '2016', issueDate: '16/12/2021' })).rejects.toThrow(/không còn hiệu lực/);

    const release = await releaseReport(deps, { reportId: r.reportId, periodId: '2021' });
    expect(release).toMatchObject({ number: 2015, documentNumber: 'Số: 2015/BC-SCT' });
  });
});
