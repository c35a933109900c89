/**
 * Clerk numbering mode end to end on the embedded system: after the last approval the clerk of
 * records (văn thư) gets a single-use link, the page refuses a number already in the register
 * and suggests the next free one, the entered number is the released document's, and the
 * recipients are told by their own step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaocaoClient } from '../../infra/cli/client';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime';
import { organization } from '../../shared/config';
import bundledDocument from '../../shared/config/organization.json' with { type: 'json' };
import { vietnamWallClock } from '../../shared/format/vietnam-time';
import { compileTo, submitSamples, waitFor, waitForStatus } from '../reliability/harness/flows';

let runtime: LocalRuntime;
let client: BaocaoClient;

beforeAll(async () => {
  // Organizations are data (ADR 0032): the runtime seeds the table with this document in clerk mode.
  runtime = await startLocalRuntime({ port: 0, organizations: [{ ...bundledDocument, numbering: { mode: 'clerk' } }] });
  client = new BaocaoClient(runtime.urls.api);
  await submitSamples(client, '2021-Q4', ['VP', 'KHTC']);
});
afterAll(async () => {
  await runtime?.stop();
});

const post = (url: string, form: Record<string, string>) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  }).then(async (r) => ({ status: r.status, text: await r.text() }));

function today(): string {
  const d = vietnamWallClock(new Date());
  return `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
}

describe('clerk numbering mode', () => {
  it('releases with the number the clerk entered through the emailed link', async () => {
    const chain = organization.approvalChain;
    const clerk = organization.recordsClerk!.email;
    const { reportId } = await compileTo(client, '2021-Q4', chain, chain.length);
    const link = await waitFor(
      'the clerk link',
      async () =>
        (await client.inbox())
          .filter((m) => m.to.includes(clerk) && m.subject.startsWith('[Cấp số]'))
          .map((m) => /https?:\/\/\S+\/register\/[A-Za-z0-9_-]+/.exec(m.text)?.[0])
          .find(Boolean),
      60_000,
    );
    expect((await client.report(reportId)).report.status).toBe('awaiting_approval');

    const page = await fetch(link).then(async (r) => ({ status: r.status, text: await r.text() }));
    expect(page.status).toBe(200);
    expect(page.text).toContain('Cấp số văn bản đi');
    expect(page.text).toContain('01/BC-SCT'); // the next free number of an empty register

    const bad = await post(link, { number: 'mười', issueDate: today() });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Số văn bản: nhập một số nguyên dương');

    const ok = await post(link, { number: '2015', issueDate: today() });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('Số: 2015/BC-SCT');
    const done = await waitForStatus(client, reportId, ['released', 'failed'], 60_000);
    expect(done.report.status).toBe('released');
    expect(done.report.release?.documentNumber).toBe('Số: 2015/BC-SCT');

    // The link was single use.
    expect((await fetch(link)).status).toBe(410);
    // Recipients are told, one mail each.
    const recipients = [...new Set(organization.recipients.flatMap((r) => r.emails))];
    const mails = await waitFor('release mails', async () => {
      const found = (await client.inbox()).filter((m) => m.subject.startsWith('[Ban hành]') && m.text.includes('2015/BC-SCT'));
      return found.length >= recipients.length ? found : undefined;
    });
    expect(mails.flatMap((m) => m.to).sort()).toEqual(recipients.sort());
  });
});
