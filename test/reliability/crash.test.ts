/**
 * Scenarios (b) and (c), sharing one crash to keep the suite short: the local system runs as a
 * child process; a report awaits approval at step 2 (step 1 approved) while a burst of uploads
 * arrives; the system is killed -9 in the middle of the burst and started again on the same state.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaocaoClient } from '../../infra/cli/client';
import { organization } from '../../shared/config';
import { type ChildSystem, childSystem } from './harness/child-system';
import {
  compileTo,
  newestDecisionLink,
  postDecision,
  postForm,
  presign,
  sample,
  sleep,
  submitSamples,
  waitForStatus,
} from './harness/flows';
import { checkDecisions, checkOutcomes, checkVersions, onlyReports, type Violation, v } from './harness/invariants';
import { readStore } from './harness/store-view';
import { verdict } from './harness/verdict';

const UPLOADS = 40;
const KILL_AFTER = 16;
const BURST_DIVISIONS = ['VP', 'KHTC', 'KTNL', 'QLCN'];
const chain = organization.approvalChain;

let stateDir: string;
let system: ChildSystem;
let reportId: string;
let oldLink: string;
let used: Set<string>;
let acceptedByS3 = 0;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'baocao-crash-'));
  system = await childSystem({ stateDir });
  await system.start();
  let client = new BaocaoClient(system.urls.api, {}, system.operatorToken);
  await submitSamples(client, '2021-Q1', ['VP']);
  ({ reportId, used } = await compileTo(client, '2021-Q1', chain, 1));
  oldLink = await newestDecisionLink(client, '2021-Q1', chain[1].approvers[0].email, used);

  // The burst: presign first, then post with some concurrency, and kill -9 once KILL_AFTER posts were accepted.
  const bodies = await Promise.all(BURST_DIVISIONS.map((d) => sample('2021-Q2', d)));
  const posts = await Promise.all(
    Array.from({ length: UPLOADS }, (_, i) =>
      presign(system.urls.api, BURST_DIVISIONS[i % BURST_DIVISIONS.length], '2021-Q2', system.operatorToken),
    ),
  );
  let killed: Promise<void> | undefined;
  let next = 0;
  const worker = async () => {
    while (next < posts.length && !killed) {
      const i = next++;
      try {
        if ((await postForm(posts[i], bodies[i % bodies.length])) < 300) acceptedByS3++;
      } catch {
        // the system is gone
      }
      if (acceptedByS3 >= KILL_AFTER) killed ??= system.kill('SIGKILL');
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  await (killed ?? system.kill('SIGKILL'));

  await system.start();
  client = new BaocaoClient(system.urls.api, {}, system.operatorToken);
  // Quiescence: the count of raw objects without an outcome stops changing (bounded).
  let previous = -1;
  let stable = 0;
  for (let i = 0; i < 30 && stable < 3; i++) {
    // A listing can fail while s3rver meets an object the kill cut in half: count that as "not yet".
    const missing = await readStore(system.urls).then(
      (view) => checkOutcomes(view).length,
      () => -2,
    );
    stable = missing === previous ? stable + 1 : 0;
    previous = missing;
    if (missing === 0) break;
    await sleep(500);
  }
}, 240_000);

afterAll(async () => {
  await system?.kill('SIGKILL');
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

describe('kill -9 of the local system, then a restart', () => {
  it('(b) during a burst of uploads: every upload S3 accepted has an outcome, versions stay 1..n with current = latest', async () => {
    const view = await readStore(system.urls);
    view.divisions = view.divisions.filter((d) => d.periodId === '2021-Q2');
    view.rawObjects = view.rawObjects.filter((o) => o.key.startsWith('raw/2021-Q2/'));
    console.log(`[reliability] (b) ${acceptedByS3} posts accepted before the kill, ${view.rawObjects.length} raw objects after restart`);
    expect(view.rawObjects.length).toBeGreaterThanOrEqual(acceptedByS3);
    verdict('b-kill-during-ingest', [...checkOutcomes(view), ...checkVersions(view)]);
  });

  it('(c) while a report awaits approval: it is resumed with its approvals kept and can be released', async () => {
    const client = new BaocaoClient(system.urls.api, {}, system.operatorToken);
    const violations: Violation[] = [];
    const after = await client.report(reportId);
    const kept = after.report.decisions.filter((d) => d.decision === 'approve' && d.stepIndex === 0).length;
    if (kept !== 1) violations.push(v('scenario', reportId, `${kept} step-1 approval(s) kept after restart`));
    if (after.report.status !== 'awaiting_approval') {
      violations.push(v('scenario', reportId, `after restart the report is ${after.report.status}: ${after.report.failure?.cause ?? ''}`));
    } else {
      // The old link either still works, or says it was replaced and a fresh one was mailed.
      let answer = await postDecision(oldLink, 'approve');
      if (answer.status !== 200 && /thay thế|liên kết mới hơn/i.test(answer.text)) {
        answer = await postDecision(
          await newestDecisionLink(client, '2021-Q1', chain[1].approvers[0].email, new Set([...used, oldLink])),
          'approve',
        );
      }
      if (answer.status !== 200) violations.push(v('scenario', reportId, `approving after restart answered HTTP ${answer.status}`));
      const done = await waitForStatus(client, reportId, ['released', 'failed', 'rejected'], 60_000).catch(() => undefined);
      if (done?.report.status !== 'released')
        violations.push(v('scenario', reportId, `not released after restart (${done?.report.status})`));
    }
    violations.push(...checkDecisions(onlyReports(await readStore(system.urls), [reportId]), chain.length));
    verdict('c-kill-awaiting-approval', violations);
  });
});
