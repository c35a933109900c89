/** Issue 16: `baocao verify <file.pdf>` — who signed, when, intact, trusted, in Vietnamese; non-zero exit on a bad signature. */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../infra/cli/main';
import { certificatesIn } from '../../infra/cli/verify';
import { sampleSealImage, sampleSignatureImage } from '../../shared/signing/sample-images';
import { changeOneByte, makeReportPdf, makeSigners, SIGNATURE_BOX, signWith } from '../support/signing';

let dir = '';
const stateDir = process.env.BAOCAO_STATE_DIR;
const signingDir = process.env.BAOCAO_SIGNING_DIR;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'baocao-verify-'));
  const signers = await makeSigners();
  const byPerson = await signWith(await makeReportPdf(), signers.person, {
    appearance: { kind: 'person', box: SIGNATURE_BOX, image: sampleSignatureImage() },
  });
  const both = await signWith(byPerson, signers.organization, {
    appearance: { kind: 'organization', box: SIGNATURE_BOX, seal: sampleSealImage() },
  });
  await writeFile(file('ok.pdf'), both);
  await writeFile(file('sua.pdf'), changeOneByte(both));
  await writeFile(file('root.crt'), signers.ca.rootCertificate);
  const pem = `-----BEGIN CERTIFICATE-----\n${Buffer.from(signers.ca.rootCertificate)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
  await writeFile(file('root.pem'), pem);
  await writeFile(file('khong-phai.pdf'), 'xin chào');
}, 30_000);
afterAll(async () => {
  if (stateDir === undefined) delete process.env.BAOCAO_STATE_DIR;
  else process.env.BAOCAO_STATE_DIR = stateDir;
  if (signingDir !== undefined) process.env.BAOCAO_SIGNING_DIR = signingDir;
  await rm(dir, { recursive: true, force: true });
});

async function verify(...args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  // No local state directory: only the roots given are trusted.
  process.env.BAOCAO_STATE_DIR = join(dir, 'khong-co');
  delete process.env.BAOCAO_SIGNING_DIR;
  const code = await main(['verify', ...args], (l) => lines.push(l));
  return { code, lines };
}

describe('baocao verify', () => {
  it('says who signed, with which certificate, when, intact and trusted, and that it is a test signature', async () => {
    const { code, lines } = await verify(file('ok.pdf'), '--trust', file('root.pem'));
    expect(code).toBe(0);
    expect(lines).toContain('Chữ ký 1: Nguyễn Văn An — Sở Công Thương  [ký thử nghiệm – không có giá trị pháp lý]');
    expect(lines).toContain('Chữ ký 2: Sở Công Thương — UBND TỈNH ĐỒNG NAI  [ký thử nghiệm – không có giá trị pháp lý]');
    expect(lines.filter((l) => l === '  Nội dung: còn nguyên vẹn')).toHaveLength(2);
    expect(lines.filter((l) => l === '  Người ký: được tin cậy')).toHaveLength(2);
    expect(lines.some((l) => /^ {2}Thời điểm ký: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/.test(l))).toBe(true);
    expect(lines.some((l) => /^ {2}Chứng thư: số sê-ri [0-9A-F]+, do baocao – CA thử nghiệm cục bộ cấp$/.test(l))).toBe(true);
    expect(lines.at(-1)).toBe('Kết luận: 2 chữ ký hợp lệ.');
  });

  it('fails with exit 1 on a changed file or an untrusted signer', async () => {
    const changed = await verify(file('sua.pdf'), '--trust', file('root.crt'));
    expect(changed.code).toBe(1);
    expect(changed.lines).toContain('  Nội dung: ĐÃ BỊ THAY ĐỔI hoặc chữ ký hỏng');
    const untrusted = await verify(file('ok.pdf'));
    expect(untrusted.code).toBe(1);
    expect(untrusted.lines).toContain('  (Chưa có chứng thư gốc nào được tin cậy: dùng --trust <gốc.crt>.)');
    expect(untrusted.lines).toContain('  Người ký: KHÔNG được tin cậy');
  });

  it('answers a file that is not a PDF with exit 2, and a missing file with a usage error', async () => {
    const notPdf = await verify(file('khong-phai.pdf'));
    expect(notPdf).toMatchObject({ code: 2 });
    expect(notPdf.lines).toContain('  Không kiểm tra được: Tệp không phải PDF.');
    await expect(verify(file('khong-co.pdf'))).rejects.toThrow(`Không đọc được tệp ${file('khong-co.pdf')}.`);
    await expect(verify()).rejects.toThrow('Thiếu đường dẫn tệp PDF.');
  });

  it('trusts the local runtime test root found under BAOCAO_SIGNING_DIR', async () => {
    await mkdir(join(dir, 'signing'), { recursive: true });
    await copyFile(file('root.crt'), join(dir, 'signing', 'root.crt'));
    process.env.BAOCAO_SIGNING_DIR = join(dir, 'signing');
    const lines: string[] = [];
    expect(await main(['verify', file('ok.pdf')], (l) => lines.push(l))).toBe(0);
    expect(lines.at(-1)).toBe('Kết luận: 2 chữ ký hợp lệ.');
  });

  it('reads trusted roots as DER or PEM', () => {
    expect(certificatesIn(Buffer.from('-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n'))).toEqual([
      new Uint8Array([1, 2, 3]),
    ]);
    expect(certificatesIn(Buffer.from([0x30, 0x01, 0x00]))).toEqual([new Uint8Array([0x30, 0x01, 0x00])]);
  });
});
