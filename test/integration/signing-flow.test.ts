/**
 * Issue 16 on the embedded runtime: after the last approval the competent person signs on the
 * local stand-in for their phone, the văn thư applies the organization's signature through the
 * emailed link, and recipients get a PDF carrying both signatures, which poppler's pdfsig reports
 * valid and, with the local test root trusted, trusted. A rejection on the phone, then "thử ký
 * lại", reuses the reserved number; the signing wait survives a restart; a PDF whose signature no
 * longer verifies is never released.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BaocaoClient, linksIn } from '../../infra/cli/client';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime';
import { withLocalSigning } from '../../infra/local/signing';
import { reportDeps } from '../../shared/adapters/wiring';
import { organization } from '../../shared/config';
import { compileTo, submitSamples, waitFor, waitForStatus } from '../reliability/harness/flows';
import { requireTool } from '../support/tools';

const run = promisify(execFile);
const chain = organization.approvalChain;
const signer = chain.at(-1)!.approvers[0].email;
const clerk = organization.recordsClerk!.email;
const compiler = organization.compiler.email;
/** A WaitForSigner round (15 s) in 1.5 s; a request "expires" for the planner after 30 s. */
const TIME_SCALE = 10;

let dir: string;
let stateDir: string;
let runtime: LocalRuntime | undefined;
let client: BaocaoClient;

async function start() {
  runtime = await startLocalRuntime({ stateDir, port: 0, organizations: [withLocalSigning()], timeScale: TIME_SCALE });
  client = new BaocaoClient(runtime.urls.api);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'baocao-signing-'));
  stateDir = join(dir, 'state');
  await start();
  await submitSamples(client, '2021-Q4', ['VP', 'KHTC']);
  await submitSamples(client, '2021-Q3', ['VP', 'KHTC']);
  await submitSamples(client, '2021-Q2', ['VP', 'KHTC']);
}, 120_000);
afterEach(async () => {
  if (!runtime) await start();
});
afterAll(async () => {
  await runtime?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

type Mail = Awaited<ReturnType<BaocaoClient['inbox']>>[number];
const used = new Set<string>();

/** The newest unused link of `kind` in a mail to `to` whose subject starts with `prefix` (and names `about`, e.g. the document number). */
function linkIn(to: string, prefix: string, kind: Parameters<typeof linksIn>[1], about = '') {
  return waitFor(
    `${prefix} → ${to}`,
    async () => {
      const mails: Mail[] = (await client.inbox()).filter(
        (m) => m.to.includes(to) && m.subject.startsWith(prefix) && m.subject.includes(about),
      );
      const link = mails.flatMap((m) => linksIn(m.text, kind)).find((l) => !used.has(l));
      if (link) used.add(link);
      return link;
    },
    90_000,
  );
}

const page = (url: string, form?: Record<string, string>) =>
  fetch(
    url,
    form ? { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) } : {},
  ).then(async (r) => ({ status: r.status, text: await r.text() }));

/** pdfsig's verdict per signature; with `nssdir`, the local test root is trusted. */
async function pdfsig(file: string, nssdir?: string) {
  const out = await run(requireTool('pdfsig'), [...(nssdir ? ['-nssdir', `sql:${nssdir}`] : []), file]).then(
    (r) => r.stdout,
    (err: { stdout?: string }) => err.stdout ?? '',
  );
  return out
    .split(/^Signature #\d+:$/m)
    .slice(1)
    .map((b) => ({
      name: /Common Name: (.*)$/m.exec(b)?.[1].trim(),
      signature: /Signature Validation: (.*)$/m.exec(b)?.[1].trim(),
      certificate: /Certificate Validation: (.*)$/m.exec(b)?.[1].trim(),
    }));
}

describe('the signed original', () => {
  it('rejected once on the phone, retried by the compiler with the same number, then sealed and released with two valid signatures', async () => {
    const { reportId } = await compileTo(client, '2021-Q4', chain, chain.length);
    // The person declines on their phone: the signing stalls and the compiler is asked.
    await page(await linkIn(signer, '[Cần ký số]', '_local/sign'), { action: 'reject' });
    const retry = await linkIn(compiler, '[Ký số chưa xong]', 'signing');
    const stalled = await client.report(reportId);
    const reserved = stalled.report.numbering?.number;
    expect(reserved).toBeGreaterThan(0);
    const retryPage = await page(retry);
    expect(retryPage.status).toBe(200);
    expect(retryPage.text).toContain('từ chối');
    expect((await page(retry, { action: 'retry' })).status).toBe(200);
    expect((await page(retry)).status).toBe(410); // single use

    // The second request: confirmed; the văn thư's page shows the person's verified signature.
    await page(await linkIn(signer, '[Cần ký số]', '_local/sign'), { action: 'confirm' });
    const seal = await linkIn(clerk, '[Cần ký số cơ quan]', 'seal');
    const sealPage = await page(seal);
    expect(sealPage.status).toBe(200);
    expect(sealPage.text).toContain(withLocalSigning().signing.signer.name);
    expect(sealPage.text).toContain('ký thử nghiệm – không có giá trị pháp lý');
    expect(sealPage.text).toContain('Ký số của cơ quan và phát hành');
    const sealed = await page(seal, {});
    expect(sealed.status).toBe(200);
    expect(sealed.text).toContain('hai chữ ký số hợp lệ');

    const done = await waitForStatus(client, reportId, ['released', 'failed'], 60_000);
    expect(done.report.status).toBe('released');
    // The number reserved before the first request is the released one: the retry reused it.
    expect(done.report.release?.number).toBe(reserved);
    const audit = await client.audit(reportId);
    expect(audit.filter((a) => a.action === 'signing.requested')).toHaveLength(2);
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['signing.stalled', 'signing.retry', 'signing.signed', 'seal.applied']),
    );

    // The recipient's page verifies both signatures, then serves the PDF and the .docx.
    const download = await waitFor('release mail', async () =>
      (await client.inbox())
        .filter((m) => m.subject.startsWith('[Ban hành]') && m.text.includes(done.report.release!.documentNumber))
        .flatMap((m) => linksIn(m.text, 'download'))
        .at(0),
    );
    const recipientPage = await page(download);
    expect(recipientPage.text).toContain('2 chữ ký số đều hợp lệ');
    expect(recipientPage.text).toContain('ký thử nghiệm – không có giá trị pháp lý');
    const pdfFile = join(dir, 'signed.pdf');
    await client.download(`${download}/pdf`, pdfFile);
    expect((await fetch(`${download}/docx`, { redirect: 'manual' })).status).toBe(302);

    const plain = await pdfsig(pdfFile);
    expect(plain.map((s) => s.signature)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
    expect(plain.map((s) => s.name)).toEqual([withLocalSigning().signing.signer.name, organization.agencyName]);
    // With the local test root in an NSS database, both chains are trusted.
    const nss = join(dir, 'nss');
    await run('mkdir', ['-p', nss]);
    const certutil = requireTool('certutil');
    await run(certutil, ['-N', '-d', `sql:${nss}`, '--empty-password']);
    await run(certutil, ['-A', '-d', `sql:${nss}`, '-n', 'baocao-test-root', '-t', 'CT,C,C', '-i', join(stateDir, 'signing', 'root.crt')]);
    const trusted = await pdfsig(pdfFile, nss);
    expect(trusted.map((s) => s.certificate)).toEqual(['Certificate is Trusted.', 'Certificate is Trusted.']);
  }, 240_000);

  it('never releases a PDF whose signature no longer verifies: the văn thư is refused and nothing is kept', async () => {
    const { reportId } = await compileTo(client, '2021-Q3', chain, chain.length);
    await page(await linkIn(signer, '[Cần ký số]', '_local/sign'), { action: 'confirm' });
    const seal = await linkIn(clerk, '[Cần ký số cơ quan]', 'seal');
    // One byte of the PDF the person signed changes in storage.
    const deps = await reportDeps(reportId);
    const pdf = await deps.files.getSigningFile(reportId, 'signer');
    const at = Math.floor(pdf.length / 3);
    pdf[at] = pdf[at] === 0x41 ? 0x42 : 0x41;
    await deps.files.putSigningFile(reportId, 'signer', pdf, 'application/pdf');

    const refused = await page(seal, {});
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Văn bản không được phát hành');
    const view = await client.report(reportId);
    expect(view.report.status).toBe('awaiting_approval');
    expect(view.report.release).toBeUndefined();
    expect(view.report.signing?.signedPdfSha256).toBeUndefined();
    expect((await client.audit(reportId)).map((a) => a.action)).toContain('seal.refused');
    // The compiler's page says where the signing stands (not "waiting for an opinion").
    const reportPage = await fetch(`${runtime!.urls.api}/reports/${encodeURIComponent(reportId)}`, {
      headers: { authorization: `Bearer ${runtime!.operatorToken}` },
    }).then(async (r) => ({ status: r.status, text: await r.text() }));
    expect(reportPage.status).toBe(200);
    expect(reportPage.text).toContain('chờ văn thư ký số của cơ quan');
    expect(reportPage.text).not.toContain('Gửi lại thư xin ý kiến');
  }, 180_000);

  it('the signing wait survives a restart: the resumed execution polls the same request, the person confirms, it is released', async () => {
    const { reportId } = await compileTo(client, '2021-Q2', chain, chain.length);
    const confirm = await linkIn(signer, '[Cần ký số]', '_local/sign');
    const before = (await client.report(reportId)).report;
    expect(before.signing?.signer.phase).toBe('pending');

    await runtime!.stop();
    runtime = undefined;
    await start();
    expect(runtime!.resumed).toContain(reportId);

    // The phone's request was kept (under .baocao/signing): confirming it reaches the new execution.
    expect((await page(confirm, { action: 'confirm' })).status).toBe(200);
    // Other reports waiting for the văn thư were resumed too (and mailed again): take this report's link.
    const number = `${String(before.numbering?.number).padStart(2, '0')}/`;
    const sealed = await page(await linkIn(clerk, '[Cần ký số cơ quan]', 'seal', number), {});
    expect(sealed.status).toBe(200);
    const done = await waitForStatus(client, reportId, ['released', 'failed'], 60_000);
    expect(done.report.status).toBe('released');
    expect(done.report.release?.number).toBe(before.numbering?.number);
    expect(done.report.release?.pdf?.signatures).toHaveLength(2);
  }, 240_000);
});
