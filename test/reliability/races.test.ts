/**
 * Scenarios (e), (f), (g): users acting at the same moment on one report or one period.
 * Each scenario uses its own quarter so that their reports never meet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaocaoClient } from '../../infra/cli/client';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime';
import { organization } from '../../shared/config';
import bundledDocument from '../../shared/config/organization.json' with { type: 'json' };
import { compileTo, decisionLinks, postDecision, submitSamples, waitFor, waitForStatus } from './harness/flows';
import { checkDecisions, checkOneReportPerPeriod, onlyReports, type Violation, v } from './harness/invariants';
import { readStore } from './harness/store-view';
import { verdict } from './harness/verdict';

// (e) needs an any-of step: a second approver on step 1, added to the organization the handlers
// of this process load (the same module instance: the runtime imports them in-process).
const second = { name: 'Phan Thị Mai', email: 'mai.pcvp@sct-dongnai.example' };
if (!organization.approvalChain[0].approvers.some((a) => a.email === second.email)) organization.approvalChain[0].approvers.push(second);
const chain = organization.approvalChain;

let runtime: LocalRuntime;
let client: BaocaoClient;

beforeAll(async () => {
  // Organizations are data: the table gets the document with the second approver.
  runtime = await startLocalRuntime({ port: 0, organizations: [{ ...bundledDocument, approvalChain: chain }] });
  client = new BaocaoClient(runtime.urls.api);
  await Promise.all(['2021-Q1', '2021-Q2', '2021-Q3'].map((q) => submitSamples(client, q, ['VP', 'KHTC'])));
});
afterAll(async () => {
  await runtime?.stop();
});

describe('races', () => {
  it('(e) two approvers of an any-of step deciding at once: one decision, the workflow follows it, no 500', async () => {
    const { reportId } = await compileTo(client, '2021-Q1', chain, 0);
    const [a, b] = await Promise.all(
      chain[0].approvers.map((x) => waitFor(`link for ${x.email}`, async () => (await decisionLinks(client, '2021-Q1', x.email))[0])),
    );
    const answers = await Promise.all([postDecision(a, 'approve'), postDecision(b, 'return', 'Đề nghị bổ sung số liệu.')]);
    // Let the workflow settle: either step 2 awaits, or the report is returned.
    const settled = await waitFor(
      'the workflow to follow the decision',
      async () => {
        const { report } = await client.report(reportId);
        return report.status === 'returned' ||
          (report.status === 'awaiting_approval' && report.currentStep === 1) ||
          report.status === 'failed'
          ? report
          : undefined;
      },
      30_000,
    );
    const violations: Violation[] = checkDecisions(onlyReports(await readStore(runtime.urls), [reportId]), chain.length);
    for (const [i, ans] of answers.entries()) {
      if (ans.status >= 500) violations.push(v('scenario', reportId, `approver ${i + 1} got HTTP ${ans.status}`));
    }
    if (settled.decisions.length !== 1) violations.push(v('scenario', reportId, `${settled.decisions.length} decisions stored for step 1`));
    console.log(
      `[reliability] (e) answers ${answers.map((x) => x.status).join('/')}, report ${settled.status} at step ${(settled.currentStep ?? 0) + 1}`,
    );
    verdict('e-any-of-race', violations);
  });

  it('(f) recompile and abandon at once on a returned report: exactly one wins, the other is refused (409), audit tells the truth', async () => {
    const { reportId } = await compileTo(client, '2021-Q2', chain, 0);
    const link = (await decisionLinks(client, '2021-Q2', chain[0].approvers[0].email))[0];
    expect((await postDecision(link, 'return', 'Thiếu số liệu của Văn phòng.')).status).toBe(200);
    await waitForStatus(client, reportId, ['returned']);
    const statusOf = (p: Promise<unknown>) =>
      p.then(
        () => 200,
        (err: { status?: number }) => err.status ?? 0,
      );
    const [recompile, abandon] = await Promise.all([
      statusOf(client.reportAction(reportId, 'recompile')),
      statusOf(client.reportAction(reportId, 'abandon', 'Dừng báo cáo.')),
    ]);
    const final = await waitForStatus(client, reportId, ['awaiting_approval', 'rejected', 'failed'], 30_000);
    const actions = (await readStore(runtime.urls)).reports.find((r) => r.reportId === reportId)?.auditActions ?? [];
    const violations: Violation[] = [];
    const won = [recompile, abandon].filter((s) => s >= 200 && s < 300).length;
    if (won !== 1) violations.push(v('scenario', reportId, `${won} of recompile/abandon succeeded (${recompile}/${abandon})`));
    for (const s of [recompile, abandon]) if (s >= 500 || s === 0) violations.push(v('scenario', reportId, `an action answered HTTP ${s}`));
    const audited = actions.filter((x) => x === 'report.recompile' || x === 'report.abandon');
    if (audited.length !== 1) violations.push(v('scenario', reportId, `audit records ${audited.join(' + ') || 'neither action'}`));
    const expected = recompile === 200 ? 'awaiting_approval' : 'rejected';
    if (won === 1 && final.report.status !== expected) {
      violations.push(
        v('scenario', reportId, `${recompile === 200 ? 'recompile' : 'abandon'} won but the report is ${final.report.status}`),
      );
    }
    console.log(`[reliability] (f) recompile ${recompile}, abandon ${abandon}, report ${final.report.status}, audit ${audited.join(',')}`);
    verdict('f-recompile-abandon-race', violations);
  });

  it('(g) the same period compiled twice at once gives one live report', async () => {
    const results = await Promise.allSettled([client.compile('2021-Q3'), client.compile('2021-Q3')]);
    const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.reportId] : []));
    for (const id of started) await waitForStatus(client, id, ['awaiting_approval', 'failed', 'rejected'], 60_000);
    const view = await readStore(runtime.urls);
    const violations = checkOneReportPerPeriod({ ...view, reports: view.reports.filter((r) => r.periodId === '2021-Q3') });
    for (const r of results) {
      const status = r.status === 'rejected' ? (r.reason as { status?: number }).status : 200;
      if (status === undefined || status >= 500) violations.push(v('scenario', '2021-Q3', `a compile answered ${status ?? 'an error'}`));
    }
    expect(started.length).toBeGreaterThan(0);
    verdict('g-same-period-twice', violations);
  });
});
