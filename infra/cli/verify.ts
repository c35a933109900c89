/**
 * `baocao verify <file.pdf>`: who signed, with which certificate, when, whether the file is
 * intact and the signer trusted. Works offline on the file alone. Trusted roots: --trust files
 * (DER or PEM), BAOCAO_TRUSTED_ROOTS (paths separated by ':'), and the local test CA's root
 * (BAOCAO_SIGNING_DIR, else <state dir>/signing) when `npm start` has made one (its signatures say "ký thử nghiệm").
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { verifyPdf } from '../../shared/signing/verify';

export const VERIFY_HELP = `  verify <tệp.pdf> [--trust gốc.crt]                 Kiểm tra chữ ký số của tệp PDF: người ký, chứng thư, thời điểm, còn nguyên vẹn không
                                                     (--trust: chứng thư gốc được tin cậy, DER hoặc PEM; có thể lặp lại)`;

/** DER of every certificate in a DER or PEM file. */
export function certificatesIn(data: Buffer): Uint8Array[] {
  const text = data.toString('latin1');
  if (!text.includes('-----BEGIN CERTIFICATE-----')) return [new Uint8Array(data)];
  return [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map(
    (m) => new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64')),
  );
}

export async function trustedRoots(
  trust: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ roots: Uint8Array[]; sources: string[] }> {
  const files = [...trust, ...(env.BAOCAO_TRUSTED_ROOTS ?? '').split(':').filter(Boolean)];
  // Where the local runtime keeps its test CA (infra/local/runtime.ts: <state dir>/signing).
  const localRoot = join(resolve(env.BAOCAO_SIGNING_DIR ?? join(env.BAOCAO_STATE_DIR ?? '.baocao', 'signing')), 'root.crt');
  if (existsSync(localRoot)) files.push(localRoot);
  const roots: Uint8Array[] = [];
  for (const f of files) {
    const data = await readFile(f).catch(() => {
      throw new VerifyUsageError(`Không đọc được tệp chứng thư gốc ${f}.`);
    });
    roots.push(...certificatesIn(data));
  }
  return { roots, sources: files };
}

export class VerifyUsageError extends Error {}

const yesNo = (v: boolean, yes: string, no: string) => (v ? yes : no);

export async function verifyCommand(file: string | undefined, trust: string[] | undefined, out: (line: string) => void): Promise<number> {
  if (!file) throw new VerifyUsageError('Thiếu đường dẫn tệp PDF.');
  const pdf = await readFile(file).catch(() => {
    throw new VerifyUsageError(`Không đọc được tệp ${file}.`);
  });
  const { roots, sources } = await trustedRoots(trust);
  const result = await verifyPdf(pdf, { trustedRoots: roots });
  out(`Tệp: ${file}`);
  if (sources.length === 0) out('  (Chưa có chứng thư gốc nào được tin cậy: dùng --trust <gốc.crt>.)');
  if (result.error) {
    out(`  Không kiểm tra được: ${result.error.message}`);
    return 2;
  }
  result.signatures.forEach((s, i) => {
    out(
      `Chữ ký ${i + 1}: ${s.signerName}${s.organization ? ` — ${s.organization}` : ''}${s.testOnly ? '  [ký thử nghiệm – không có giá trị pháp lý]' : ''}`,
    );
    out(`  Chứng thư: số sê-ri ${s.serialNumber}, do ${s.issuer} cấp`);
    out(`  Thời điểm ký: ${s.signedAt || '(không có)'}`);
    out(`  Nội dung: ${yesNo(s.intact && s.coversRevision, 'còn nguyên vẹn', 'ĐÃ BỊ THAY ĐỔI hoặc chữ ký hỏng')}`);
    out(`  Người ký: ${yesNo(s.trusted, 'được tin cậy', 'KHÔNG được tin cậy')}`);
    for (const p of s.problems) out(`  - ${p}`);
  });
  out(result.ok ? `Kết luận: ${result.signatures.length} chữ ký hợp lệ.` : 'Kết luận: có chữ ký không hợp lệ.');
  return result.ok ? 0 : 1;
}
