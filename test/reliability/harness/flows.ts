/**
 * What users do, driven over HTTP for the reliability scenarios: presigned uploads, compiles,
 * decision links from the local inbox. Every wait is bounded and tolerates a briefly broken system.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BaocaoClient, linksIn } from '../../../infra/cli/client';
import { SAMPLE_DIR } from '../../../infra/local/demo-flow';
import { parsePeriod } from '../../../shared/domain/periods';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a value (errors count as "not yet"); throws after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await sleep(everyMs);
  }
}

export interface PresignedPost {
  key: string;
  url: string;
  fields: Record<string, string>;
}

/** The operator path's presigned POST for one division and quarter (as the operator). */
export async function presign(
  api: string,
  division: string,
  period: string,
  operatorToken = process.env.BAOCAO_OPERATOR_TOKEN,
): Promise<PresignedPost> {
  const res = await fetch(`${api}/api/uploads`, {
    method: 'POST',
    // The local system's operator token (an in-process runtime puts it in the environment).
    headers: { 'content-type': 'application/json', authorization: `Bearer ${operatorToken}` },
    body: JSON.stringify({ division, period }),
  });
  if (!res.ok) throw new Error(`presign ${division} ${period}: HTTP ${res.status}`);
  return (await res.json()) as PresignedPost;
}

/** Posts the form to S3 as a browser would; returns the HTTP status. */
export async function postForm(post: PresignedPost, body: Buffer): Promise<number> {
  const form = new FormData();
  for (const [k, v] of Object.entries(post.fields)) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(body)], { type: 'application/json' }), 'so-lieu.json');
  const res = await fetch(post.url, { method: 'POST', body: form });
  await res.arrayBuffer();
  return res.status;
}

export function sample(quarter: string, division: string): Promise<Buffer> {
  return readFile(join(SAMPLE_DIR, quarter, `${division}.json`));
}

/** Submits the sample figures of a few divisions, in parallel, and checks they are accepted. */
export async function submitSamples(client: BaocaoClient, quarter: string, divisions: string[]) {
  await Promise.all(
    divisions.map(async (d) => {
      const res = await client.submit(await sample(quarter, d), d, quarter);
      if (res.status !== 'accepted') throw new Error(`sample ${quarter}/${d} refused: ${JSON.stringify(res.errors)}`);
    }),
  );
}

/** Waits until the report's status is one of `states` (API errors while broken are retried). */
export function waitForStatus(client: BaocaoClient, reportId: string, states: string[], timeoutMs = 60_000) {
  return waitFor(
    `report ${reportId} in ${states.join('|')}`,
    async () => {
      const view = await client.report(reportId);
      return states.includes(view.report.status) ? view : undefined;
    },
    timeoutMs,
  );
}

/** Waits until the report awaits a decision at `stepIndex`. */
export function waitForStep(client: BaocaoClient, reportId: string, stepIndex: number, timeoutMs = 60_000) {
  return waitFor(
    `report ${reportId} at step ${stepIndex + 1}`,
    async () => {
      const view = await client.report(reportId);
      if (['failed', 'rejected', 'timed_out', 'released'].includes(view.report.status)) {
        throw new Error(`report ended ${view.report.status}: ${view.report.failure?.cause}`);
      }
      return view.report.status === 'awaiting_approval' && view.report.currentStep === stepIndex ? view : undefined;
    },
    timeoutMs,
  );
}

/** Unused decision links mailed to `approver` for the period, newest first. */
export async function decisionLinks(client: BaocaoClient, periodId: string, approver: string, used: Set<string> = new Set()) {
  const label = parsePeriod(periodId).label;
  return (await client.inbox())
    .filter((m) => m.subject.startsWith('[') && m.to.includes(approver) && m.text.includes(`kỳ ${label})`))
    .flatMap((m) => linksIn(m.text, 'decision'))
    .filter((l) => !used.has(l));
}

export function newestDecisionLink(client: BaocaoClient, periodId: string, approver: string, used?: Set<string>) {
  return waitFor(`a decision link for ${approver} (${periodId})`, async () => (await decisionLinks(client, periodId, approver, used))[0]);
}

/** POSTs a decision on a link; returns the HTTP status and the page text (no throw). */
export async function postDecision(link: string, decision: 'approve' | 'return', comment = '') {
  const res = await fetch(link, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ decision, comment }).toString(),
  });
  return { status: res.status, text: await res.text() };
}

/** Compiles a period and walks approvals up to (not including) `untilStep`, returning the report id. */
export async function compileTo(
  client: BaocaoClient,
  periodId: string,
  chain: Array<{ approvers: Array<{ email: string }> }>,
  untilStep: number,
) {
  const { reportId } = await client.compile(periodId);
  const used = new Set<string>();
  for (let step = 0; step < untilStep; step++) {
    await waitForStep(client, reportId, step);
    const link = await newestDecisionLink(client, periodId, chain[step].approvers[0].email, used);
    used.add(link);
    await client.decide(link, 'approve');
  }
  if (untilStep < chain.length) await waitForStep(client, reportId, untilStep);
  return { reportId, used };
}
