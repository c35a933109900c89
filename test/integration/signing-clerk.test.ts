/**
 * Clerk numbering mode with signing (ADR 0043): the văn thư enters the number first, the PDF the
 * person signs (here at once: the local provider in `auto` mode) already shows it, and the văn
 * thư then applies the organization's signature; the released PDF prints the entered number.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaocaoClient, linksIn } from '../../infra/cli/client';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime';
import { withLocalSigning } from '../../infra/local/signing';
import { reportDeps } from '../../shared/adapters/wiring';
import { organization } from '../../shared/config';
import bundledDocument from '../../shared/config/organization.json' with { type: 'json' };
import { vietnamWallClock } from '../../shared/format/vietnam-time';
import { compileTo, submitSamples, waitFor, waitForStatus } from '../reliability/harness/flows';
import { requireTool } from '../support/tools';

const run = promisify(execFile);
let runtime: LocalRuntime;
let client: BaocaoClient;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'baocao-signing-clerk-'));
  const document = withLocalSigning({ ...bundledDocument, numbering: { mode: 'clerk' } } as typeof bundledDocument, 'auto');
  runtime = await startLocalRuntime({ port: 0, organizations: [document], timeScale: 10 });
  client = new BaocaoClient(runtime.urls.api);
  await submitSamples(client, '2021-Q4', ['VP', 'KHTC']);
}, 120_000);
afterAll(async () => {
  await runtime?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const form = (url: string, fields: Record<string, string>) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) }).then(
    async (r) => ({ status: r.status, text: await r.text() }),
  );

const mailLink = (to: string, prefix: string, kind: Parameters<typeof linksIn>[1]) =>
  waitFor(
    `${prefix} → ${to}`,
    async () =>
      (await client.inbox())
        .filter((m) => m.to.includes(to) && m.subject.startsWith(prefix))
        .flatMap((m) => linksIn(m.text, kind))
        .at(0),
    60_000,
  );

describe('clerk numbering mode with signing', () => {
  it('takes the number from the văn thư before the person signs, and releases a PDF that prints it under both signatures', async () => {
    const chain = organization.approvalChain;
    const clerk = organization.recordsClerk!.email;
    const { reportId } = await compileTo(client, '2021-Q4', chain, chain.length);
    const register = await waitFor(
      'the clerk link',
      async () =>
        (await client.inbox())
          .filter((m) => m.to.includes(clerk) && m.subject.startsWith('[Cấp số]'))
          .map((m) => /https?:\/\/\S+\/register\/[A-Za-z0-9_-]+/.exec(m.text)?.[0])
          .find(Boolean),
      60_000,
    );
    // Nothing is signed before the number is there.
    expect((await client.report(reportId)).report.signing).toBeUndefined();
    const d = vietnamWallClock(new Date());
    const today = `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
    expect((await form(register, { number: '2015', issueDate: today })).status).toBe(200);

    // The person's provider signs at once (auto); the văn thư seals.
    const seal = await mailLink(clerk, '[Cần ký số cơ quan]', 'seal');
    expect((await form(seal, {})).status).toBe(200);
    const done = await waitForStatus(client, reportId, ['released', 'failed'], 60_000);
    expect(done.report.status).toBe('released');
    expect(done.report.release?.documentNumber).toBe('Số: 2015/BC-SCT');
    expect(done.report.release?.pdf?.signatures.map((s) => s.signerName)).toEqual([
      withLocalSigning().signing.signer.name,
      organization.agencyName,
    ]);

    const file = join(dir, 'released.pdf');
    const deps = await reportDeps(reportId);
    await writeFile(file, await deps.blobs.get(done.report.release!.pdf!.key));
    const { stdout } = await run(requireTool('pdftotext'), ['-f', '1', '-l', '1', file, '-']);
    expect(stdout).toContain('Số: 2015/BC-SCT');
  }, 180_000);
});
