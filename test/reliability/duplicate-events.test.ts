/**
 * Scenario (a): one upload's object event delivered many times at once — the ingest handler
 * called N times in parallel with the same EventBridge event, and the same presigned form
 * re-posted N times (each post is an S3 event). Exactly one version and one accepted entry per
 * upload (key + ETag), current = latest.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaocaoClient } from '../../infra/cli/client';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime';
import { importFunctionHandler, lambdaContext } from '../../infra/local/sfn';
import { postForm, presign, sample, waitFor } from './harness/flows';
import { checkOutcomes, checkVersions } from './harness/invariants';
import { readStore } from './harness/store-view';
import { verdict } from './harness/verdict';

const N = 20;
let runtime: LocalRuntime;
let client: BaocaoClient;

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0 });
  client = new BaocaoClient(runtime.urls.api);
});
afterAll(async () => {
  await runtime?.stop();
});

/** Violations of the version and outcome invariants for one division-quarter. */
async function violationsOf(period: string, division: string) {
  const view = await readStore(runtime.urls);
  view.divisions = view.divisions.filter((d) => d.periodId === period && d.divisionId === division);
  view.accepted = view.accepted.filter((a) => a.key.startsWith(`raw/${period}/${division}/`));
  view.rawObjects = view.rawObjects.filter((o) => o.key.startsWith(`raw/${period}/${division}/`));
  return { view, violations: [...checkVersions(view), ...checkOutcomes(view)] };
}

describe('(a) the same upload delivered concurrently', () => {
  it(`the ingest handler called ${N} times at once with one EventBridge event stores one version`, async () => {
    const post = await presign(runtime.urls.api, 'VP', '2021-Q1');
    const ingest = await importFunctionHandler('ingest');
    expect(await postForm(post, await sample('2021-Q1', 'VP'))).toBeLessThan(300);
    // The S3 event of the post itself is one delivery; N more arrive while it is being ingested.
    const head = (await readStore(runtime.urls)).rawObjects.find((o) => o.key === post.key);
    const event = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: '000000000000',
      time: new Date().toISOString(),
      region: runtime.env.AWS_REGION,
      resources: [`arn:aws:s3:::${runtime.env.BUCKET_NAME}`],
      detail: {
        version: '0',
        bucket: { name: runtime.env.BUCKET_NAME },
        object: { key: post.key, size: 1, etag: head?.etag ?? '', sequencer: '0' },
        reason: 'PostObject',
      },
    };
    const results = await Promise.allSettled(Array.from({ length: N }, () => ingest(structuredClone(event), lambdaContext('ingest'))));
    await runtime.idle();
    const { violations } = await violationsOf('2021-Q1', 'VP');
    const crashed = results.filter((r) => r.status === 'rejected').length;
    console.log(`[reliability] (a) handler x${N}: ${crashed} invocation(s) threw`);
    verdict('a-duplicate-events-handler', violations);
  });

  it(`the same presigned form re-posted ${N} times at once stores one version`, async () => {
    const post = await presign(runtime.urls.api, 'KHTC', '2021-Q1');
    const body = await sample('2021-Q1', 'KHTC');
    const statuses = await Promise.all(Array.from({ length: N }, () => postForm(post, body)));
    expect(statuses.every((s) => s < 300)).toBe(true);
    await runtime.idle();
    // The clerk's status poll must answer with the outcome.
    await waitFor('upload outcome', async () => {
      const res = await fetch(`${runtime.urls.api}/api/uploads/status?key=${encodeURIComponent(post.key)}`, {
        headers: { authorization: `Bearer ${runtime.operatorToken}` },
      });
      return res.status === 200 ? res.json() : undefined;
    });
    const { view, violations } = await violationsOf('2021-Q1', 'KHTC');
    console.log(`[reliability] (a) form x${N}: ${view.divisions[0]?.versions.length ?? 0} version(s) stored`);
    verdict('a-duplicate-events-form', violations);
    expect((await client.periodStatus('2021-Q1')).submissions.some((s) => s.divisionId === 'KHTC')).toBe(true);
  });
});
