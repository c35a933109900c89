/**
 * Issue 10 §3 on the embedded runtime: a 600 KB comment (413) or a too-long one is refused before anything changes, a
 * period compiled twice answers 409 offering to supersede, and superseding stops the old report.
 * (The any-of and recompile/abandon races run in test/reliability/races.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaocaoClient } from '../../infra/cli/client';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime';
import { organization } from '../../shared/config';
import { decisionLinks, postDecision, submitSamples, waitFor, waitForStatus } from '../reliability/harness/flows';

let runtime: LocalRuntime;
let client: BaocaoClient;
const first = organization.approvalChain[0].approvers[0].email;

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0 });
  client = new BaocaoClient(runtime.urls.api);
  await submitSamples(client, '2021-Q4', ['VP', 'KHTC']);
});
afterAll(async () => {
  await runtime?.stop();
});

describe('one active report per period, and a bounded comment', () => {
  it('refuses a 600 KB body (413) and a long comment naming the field, then a second compile (409), then supersedes', async () => {
    const { reportId } = await client.compile('2021-Q4');
    await waitForStatus(client, reportId, ['awaiting_approval']);
    const link = await waitFor('the decision link', async () => (await decisionLinks(client, '2021-Q4', first))[0]);

    // A body past the API's limit is refused before it is read (413); a long comment within it names the field.
    const huge = await postDecision(link, 'return', 'x'.repeat(600 * 1024));
    expect(huge.status).toBe(413);
    expect(huge.text).toContain('Nội dung gửi lên quá lớn');
    const long = await postDecision(link, 'return', 'x'.repeat(5000));
    expect(long.status).toBe(400);
    expect(long.text).toContain('Ý kiến quá dài');
    const view = await client.report(reportId);
    expect(view.report.decisions).toHaveLength(0);
    expect(view.execution?.status).toBe('RUNNING');
    // The link still shows its form.
    const again = await fetch(link);
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('Trả lại');

    const refused = await client.compile('2021-Q4').then(
      () => undefined,
      (err: { status?: number; message?: string }) => err,
    );
    expect(refused?.status).toBe(409);
    expect(refused?.message).toMatch(/supersede/);
    expect(refused?.message).toContain(reportId);

    const second = await client.compile('2021-Q4', undefined, undefined, true);
    expect(second.superseded).toBe(reportId);
    const old = await client.report(reportId);
    expect(old.report.status).toBe('superseded');
    expect(old.execution?.status).toBe('ABORTED');
    const stale = await postDecision(link, 'approve');
    expect(stale.status).toBe(410);
    expect((await client.report(reportId)).report.decisions).toHaveLength(0);
    await waitForStatus(client, second.reportId, ['awaiting_approval']);
    const periods = await client.periodStatus('2021-Q4');
    expect(periods.reports.filter((r) => ['compiling', 'awaiting_approval', 'returned'].includes(r.status))).toHaveLength(1);
  });

  it('a report stopped at the editing desk ends as "abandoned" with the reason, and frees its period', async () => {
    await submitSamples(client, '2021-Q3', ['VP', 'KHTC']);
    const { reportId } = await client.compile('2021-Q3', undefined, undefined, undefined, true);
    await waitForStatus(client, reportId, ['editing']);
    // A division sends a new version while the compiler edits: the desk says the draft lacks it.
    await submitSamples(client, '2021-Q3', ['VP']);
    const desk = await fetch(`${runtime.urls.api}/reports/${encodeURIComponent(reportId)}/desk`, {
      headers: { authorization: `Bearer ${runtime.operatorToken}` },
    }).then((r) => r.text());
    expect(desk).toContain('Có số liệu nộp sau khi tổng hợp');
    expect(desk).toContain(`${organization.divisions.find((d) => d.id === 'VP')!.name} — quý III/2021, lần nộp 2`);
    expect(desk).not.toContain('lần nộp 1');
    await client.reportAction(reportId, 'abandon', 'Chờ số liệu của các phòng còn lại');
    const done = await waitForStatus(client, reportId, ['abandoned', 'failed'], 30_000);
    expect(done.report.status).toBe('abandoned');
    expect(done.report.failure?.cause).toBe('Văn phòng dừng báo cáo khi biên tập: “Chờ số liệu của các phòng còn lại”');
    expect(done.execution?.status).toBe('FAILED');
    // The period is free: a new compile needs no supersede.
    const next = await client.compile('2021-Q3');
    expect(next.superseded).toBeUndefined();
  });
});
