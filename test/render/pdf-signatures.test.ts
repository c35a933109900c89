/**
 * Issue 16, the proof with poppler: a report signed by the competent person, then by the
 * organization over it (incremental updates), and an attachment file signed at the top right of
 * page 1. pdfsig reports every signature valid and, with the local test root trusted in an NSS
 * database, trusted; one changed byte of the first revision invalidates both, and verifyPdf
 * agrees; the signing time inside equals the time printed in the appearance.
 * Needs pdfsig, pdftotext (poppler-utils) and certutil (libnss3-tools); BAOCAO_SKIP_RENDER=1 skips.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completePdfSignature, preparePdfSignature } from '../../shared/signing/pades';
import { sampleSealImage, sampleSignatureImage } from '../../shared/signing/sample-images';
import { verifyPdf } from '../../shared/signing/verify';
import { changeOneByte, makeEcdsaSigner, makeReportPdf, makeSigners, SIGNATURE_BOX, signWith, type TestSigners } from '../support/signing';
import { requireTool, skipRequested } from '../support/tools';
import { toXrefStreamPdf } from '../support/xref-stream-pdf';

const run = promisify(execFile);
const SKIP = skipRequested('render');

interface PdfsigEntry {
  field: string;
  commonName: string;
  signingTime: string;
  validation: string;
  certificate: string;
}

/** pdfsig's report, one entry per signature (it exits non-zero when one is invalid). */
async function pdfsig(file: string, nssdir?: string): Promise<PdfsigEntry[]> {
  const args = [...(nssdir ? ['-nssdir', `sql:${nssdir}`] : []), file];
  const out = await run(requireTool('pdfsig'), args).then(
    (r) => r.stdout,
    (err: { stdout?: string }) => err.stdout ?? '',
  );
  return out
    .split(/^Signature #\d+:$/m)
    .slice(1)
    .map((block) => {
      const get = (label: string) => new RegExp(`- ${label}: (.*)$`, 'm').exec(block)?.[1].trim() ?? '';
      return {
        field: get('Signature Field Name'),
        commonName: get('Signer Certificate Common Name'),
        signingTime: get('Signing Time'),
        validation: get('Signature Validation'),
        certificate: get('Certificate Validation'),
      };
    });
}

let dir = '';
let nss = '';
let signers: TestSigners;
let signed = '';
let tampered = '';
let attachment = '';
let signedBytes: Buffer;

describe.skipIf(SKIP)('signed report through poppler (pdfsig)', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baocao-pdfsig-'));
    signers = await makeSigners();
    const report = await makeReportPdf();
    const byPerson = await signWith(report, signers.person, {
      appearance: { kind: 'person', box: SIGNATURE_BOX, image: sampleSignatureImage() },
    });
    signedBytes = await signWith(byPerson, signers.organization, {
      appearance: { kind: 'organization', box: SIGNATURE_BOX, seal: sampleSealImage() },
    });
    const appendix = await signWith(await makeReportPdf(), signers.organization, {
      appearance: { kind: 'attachment', documentNumber: '05/BC-SCT' },
    });
    signed = join(dir, 'bao-cao.pdf');
    tampered = join(dir, 'bao-cao-sua.pdf');
    attachment = join(dir, 'phu-luc.pdf');
    await writeFile(signed, signedBytes);
    await writeFile(tampered, changeOneByte(signedBytes));
    await writeFile(attachment, appendix);
    // An NSS database that trusts the local test root, as a recipient's reader would be set up.
    nss = join(dir, 'nss');
    await run('mkdir', ['-p', nss]);
    const certutil = requireTool('certutil');
    await run(certutil, ['-N', '-d', `sql:${nss}`, '--empty-password']);
    await writeFile(join(dir, 'root.crt'), signers.ca.rootCertificate);
    await run(certutil, ['-A', '-d', `sql:${nss}`, '-n', 'baocao-test-root', '-t', 'CT,C,C', '-i', join(dir, 'root.crt')]);
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reports the person and the organization signatures valid', async () => {
    const sigs = await pdfsig(signed);
    expect(sigs.map((s) => [s.field, s.commonName, s.validation])).toEqual([
      ['ChuKy1-person', 'Nguyễn Văn An', 'Signature is Valid.'],
      ['ChuKy2-organization', 'Sở Công Thương', 'Signature is Valid.'],
    ]);
    expect(sigs.every((s) => s.certificate !== 'Certificate is Trusted.')).toBe(true);
  });

  it('reports both trusted once the local test root is trusted, as verifyPdf does', async () => {
    const sigs = await pdfsig(signed, nss);
    expect(sigs.map((s) => s.certificate)).toEqual(['Certificate is Trusted.', 'Certificate is Trusted.']);
    const ours = await verifyPdf(signedBytes, { trustedRoots: [signers.ca.rootCertificate] });
    expect(ours.signatures.map((s) => s.intact && s.trusted)).toEqual([true, true]);
  });

  it('finds both signatures invalid after one byte of the first revision changes, as verifyPdf does', async () => {
    const sigs = await pdfsig(tampered, nss);
    expect(sigs).toHaveLength(2);
    expect(sigs.every((s) => s.validation !== 'Signature is Valid.')).toBe(true);
    const ours = await verifyPdf(changeOneByte(signedBytes), { trustedRoots: [signers.ca.rootCertificate] });
    expect(ours.signatures.map((s) => s.intact)).toEqual([false, false]);
  });

  it('prints number, symbol and the signing time at the top of the attachment, the same time as inside', async () => {
    const { stdout } = await run(requireTool('pdftotext'), ['-f', '1', '-l', '1', attachment, '-']);
    const shown = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00)$/m.exec(stdout)?.[1];
    const lines = stdout.split('\n').filter(Boolean);
    expect(lines.slice(0, 2)).toEqual(['05/BC-SCT', shown]);
    expect(lines).toContain('Chữ ký thử nghiệm – không có giá trị pháp lý');
    const [sig] = await pdfsig(attachment, nss);
    expect(sig.validation).toBe('Signature is Valid.');
    // pdfsig prints the CMS signingTime in UTC ("Jan 05 2026 07:30:15").
    expect(new Date(`${sig.signingTime} UTC`).getTime()).toBe(Date.parse(shown ?? ''));
    const ours = await verifyPdf(await readFile(attachment), {
      trustedRoots: [signers.ca.rootCertificate],
    });
    expect(ours.signatures[0].signedAt).toBe(shown);
  });

  it('signs a PDF 1.5 file (object and cross-reference streams, as Word writes) that poppler then finds valid', async () => {
    const modern = toXrefStreamPdf(await makeReportPdf());
    const source = join(dir, 'van-ban-kem-theo.pdf');
    await writeFile(source, modern);
    const { stdout: info } = await run(requireTool('pdfinfo'), [source]);
    expect(info).toMatch(/^Pages:\s+2$/m);
    const byPerson = await signWith(modern, signers.person, {
      appearance: { kind: 'person', box: SIGNATURE_BOX, image: sampleSignatureImage() },
    });
    const both = join(dir, 'van-ban-kem-theo-ky.pdf');
    await writeFile(
      both,
      await signWith(byPerson, signers.organization, { appearance: { kind: 'organization', box: SIGNATURE_BOX, seal: sampleSealImage() } }),
    );
    const sigs = await pdfsig(both, nss);
    expect(sigs.map((s) => [s.commonName, s.validation, s.certificate])).toEqual([
      ['Nguyễn Văn An', 'Signature is Valid.', 'Certificate is Trusted.'],
      ['Sở Công Thương', 'Signature is Valid.', 'Certificate is Trusted.'],
    ]);
  });

  it('accepts an ECDSA P-256 signature, as a remote CA service may make', async () => {
    const ecdsa = await makeEcdsaSigner();
    const prepared = await preparePdfSignature(await makeReportPdf(), {
      appearance: { kind: 'attachment', documentNumber: '12/BC-STP' },
      credential: ecdsa.credential,
    });
    await writeFile(join(dir, 'ecdsa.pdf'), completePdfSignature(prepared, ecdsa.sign(prepared), ecdsa.credential));
    const [sig] = await pdfsig(join(dir, 'ecdsa.pdf'));
    expect([sig.commonName, sig.validation]).toEqual(['Trần Thị Bình', 'Signature is Valid.']);
  });

  it('says plainly in the appearance that the test CA signature has no legal value', async () => {
    const { stdout } = await run(requireTool('pdftotext'), ['-f', '2', '-l', '2', '-raw', signed, '-']);
    expect(stdout).toContain('Chữ ký thử nghiệm – không có giá trị pháp lý');
  });
});
