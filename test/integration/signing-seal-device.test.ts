/**
 * The organization's signature through a provider that confirms later (a remote service: the
 * văn thư confirms on the organization's device), on the embedded runtime with the local provider
 * in "confirm" mode for the organization: the first press asks and the page says so, the request
 * is confirmed on the local stand-in for the device, the next press of the same link collects the
 * signature over the PDF prepared at the first press, and the report is released with two valid
 * signatures.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaocaoClient, linksIn } from '../../infra/cli/client';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime';
import { withLocalSigning } from '../../infra/local/signing';
import bundledOrganizationDocument from '../../shared/config/organization.json' with { type: 'json' };
import { compileTo, submitSamples, waitFor, waitForStatus } from '../reliability/harness/flows';

const org = withLocalSigning(bundledOrganizationDocument, 'auto', 'confirm');
const chain = org.approvalChain;
const clerk = org.recordsClerk!.email;

let dir: string;
let runtime: LocalRuntime;
let client: BaocaoClient;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'baocao-seal-device-'));
  runtime = await startLocalRuntime({ stateDir: join(dir, 'state'), port: 0, organizations: [org], timeScale: 10 });
  client = new BaocaoClient(runtime.urls.api);
  await submitSamples(client, '2021-Q4', ['VP', 'KHTC']);
}, 120_000);
afterAll(async () => {
  await runtime?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const page = (url: string, form?: Record<string, string>) =>
  fetch(
    url,
    form ? { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) } : {},
  ).then(async (r) => ({ status: r.status, text: await r.text() }));

describe('the organization signs on its device', () => {
  it('first press asks, the device confirms, the next press seals and the report is released with two valid signatures', async () => {
    const { reportId } = await compileTo(client, '2021-Q4', chain, chain.length);
    const seal = await waitFor('seal link', async () =>
      (await client.inbox())
        .filter((m) => m.to.includes(clerk) && m.subject.startsWith('[Cần ký số cơ quan]'))
        .flatMap((m) => linksIn(m.text, 'seal'))
        .at(0),
    );
    const asked = await page(seal, {});
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('Yêu cầu ký số đã được gửi tới thiết bị ký số của cơ quan');
    expect(asked.text).toContain('Hoàn tất ký số và phát hành');
    const waiting = (await client.report(reportId)).report;
    const tx = waiting.signing?.sealRequest?.transactionId;
    expect(tx).toBeTruthy();
    expect(waiting.signing?.sealedBy).toBeUndefined();

    // Pressed again before the device confirmed: still waiting, nothing kept.
    expect((await page(seal, {})).text).toContain('Yêu cầu ký số đã được gửi tới thiết bị');
    // The local stand-in for the organization's device confirms the same request.
    const device = `${runtime.urls.api}/_local/sign/${encodeURIComponent(tx!)}`;
    expect((await page(device, { action: 'confirm' })).status).toBe(200);
    const sealed = await page(seal, {});
    expect(sealed.status).toBe(200);
    expect(sealed.text).toContain('hai chữ ký số hợp lệ');

    const done = await waitForStatus(client, reportId, ['released', 'failed'], 60_000);
    expect(done.report.status).toBe('released');
    expect(done.report.release?.pdf?.signatures?.map((s) => s.signerName)).toEqual([org.signing.signer.name, org.agencyName]);
    const actions = (await client.audit(reportId)).map((a) => a.action);
    expect(actions.filter((a) => a === 'seal.requested')).toHaveLength(1);
    expect(actions).toContain('seal.applied');
  }, 240_000);
});
