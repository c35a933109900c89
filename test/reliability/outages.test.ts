/**
 * Scenarios (d) and (h): S3 and DynamoDB unavailable for a few seconds, through breakable proxies
 * the handlers use (`startLocalRuntime({ wrapEndpoint })`); the harness itself reads the services
 * directly. Each scenario uses its own quarter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaocaoClient } from '../../infra/cli/client';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime';
import { organization } from '../../shared/config';
import { type BreakableProxy, startBreakableProxy } from './harness/breakable-proxy';
import { compileTo, newestDecisionLink, postDecision, submitSamples, waitFor, waitForStatus } from './harness/flows';
import { checkDecisions, checkDocumentNumbers, onlyReports, type Violation, v } from './harness/invariants';
import { readStore } from './harness/store-view';
import { verdict } from './harness/verdict';

const chain = organization.approvalChain;
const proxies: Partial<Record<'dynamodb' | 's3', BreakableProxy>> = {};
let runtime: LocalRuntime;
let client: BaocaoClient;

beforeAll(async () => {
  runtime = await startLocalRuntime({
    port: 0,
    wrapEndpoint: async (service, url) => {
      proxies[service] = await startBreakableProxy(url);
      return proxies[service].url;
    },
  });
  client = new BaocaoClient(runtime.urls.api);
  await Promise.all(['2021-Q1', '2021-Q2', '2021-Q3'].map((q) => submitSamples(client, q, ['VP', 'KHTC'])));
});
afterAll(async () => {
  await runtime?.stop();
  await Promise.all(Object.values(proxies).map((p) => p.close()));
});

/** A compile whose service breaks for `ms` right after it starts ends awaiting approval, not failed. */
async function compileThroughOutage(service: 'dynamodb' | 's3', periodId: string, ms: number) {
  const proxy = proxies[service]!;
  const { reportId } = await client.compile(periodId);
  const { healed } = proxy.break(ms);
  await healed;
  const view = await waitForStatus(client, reportId, ['awaiting_approval', 'failed', 'released', 'rejected'], 60_000);
  const violations: Violation[] = [];
  if (view.report.status !== 'awaiting_approval') {
    violations.push(v('scenario', reportId, `compile ended ${view.report.status}: ${view.report.failure?.cause ?? ''}`));
  }
  console.log(`[reliability] (d) ${service} down ${ms} ms: ${proxy.counters.broken} connection(s) cut, report ${view.report.status}`);
  expect(proxy.counters.broken).toBeGreaterThan(0);
  return violations;
}

describe('brief outages', () => {
  it('(d) S3 down for 2 s during a compile: the report still reaches approval', async () => {
    verdict('d-s3-outage-compile', await compileThroughOutage('s3', '2021-Q1', 2000));
  });

  it('(d) DynamoDB down for 2 s during a compile: the report still reaches approval', async () => {
    verdict('d-dynamodb-outage-compile', await compileThroughOutage('dynamodb', '2021-Q2', 2000));
  });

  it('(h) S3 down while releasing: the report is released on retry and document numbers stay gap-free', async () => {
    const { reportId, used } = await compileTo(client, '2021-Q3', chain, chain.length - 1);
    const last = chain.length - 1;
    const link = await newestDecisionLink(client, '2021-Q3', chain[last].approvers[0].email, used);
    expect((await postDecision(link, 'approve')).status).toBe(200);
    await proxies.s3!.break(3000).healed;
    const view = await waitForStatus(client, reportId, ['released', 'failed'], 60_000);
    // The figures exports and the email follow the number: let a retried release finish.
    await waitFor('release to settle', async () =>
      (await client.report(reportId)).report.status === view.report.status ? true : undefined,
    );
    const store = onlyReports(await readStore(runtime.urls), [reportId]);
    const violations = [...checkDocumentNumbers(store), ...checkDecisions(store, chain.length)];
    if (view.report.status !== 'released') {
      violations.push(v('scenario', reportId, `release ended ${view.report.status}: ${view.report.failure?.cause ?? ''}`));
    }
    console.log(`[reliability] (h) ${proxies.s3!.counters.broken} S3 connection(s) cut, report ${view.report.status}`);
    verdict('h-release-fault', violations);
  });
});
