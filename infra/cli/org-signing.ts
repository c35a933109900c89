/** `baocao org signing …`: the organization's signing material (signature and seal images, certificate chains). */
import { readFile } from 'node:fs/promises';
import type { MaterialFacts } from '../../shared/features/signing/material';
import { vnDateTime } from '../../shared/format/vietnam-time';
import type { BaocaoClient } from './client';

export const ORG_SIGNING_HELP = `  org signing show                                   Ảnh chữ ký, ảnh con dấu, chứng thư số đã lưu (dấu SHA-256, kích thước, hạn)
  org signing put-image --person <mã> <tệp.png>      Lưu ảnh chữ ký (PNG nền trong suốt, màu xanh, ≤ 1 MB) của người ký
  org signing put-image --seal <tệp.png>             Lưu ảnh con dấu (PNG nền trong suốt, màu đỏ) của cơ quan
  org signing put-chain --person <mã> <tệp.pem>      Lưu chuỗi chứng thư số (PEM/DER) của người ký (dịch vụ KMS)
  org signing put-chain --organization <tệp.pem>     Lưu chuỗi chứng thư số của cơ quan (dịch vụ KMS)`;

export class OrgSigningUsageError extends Error {}

export interface OrgSigningArgs {
  action?: string;
  file?: string;
  person?: string;
  seal?: string;
  organization?: string;
}

async function read(file: string | undefined, what: string): Promise<Buffer> {
  if (!file) throw new OrgSigningUsageError(`Thiếu đường dẫn ${what}.`);
  try {
    return await readFile(file);
  } catch (err) {
    throw new OrgSigningUsageError(`Không đọc được tệp ${file}: ${(err as Error).message}`);
  }
}

const fingerprint = (sha: string) => `SHA-256 ${sha}`;

function printImage(
  out: (l: string) => void,
  label: string,
  ref: { sha256: string; width: number; height: number; bytes: number; uploadedAt: string; uploadedBy: string } | undefined,
  fallback: string,
) {
  if (!ref) return out(`  ${label}: ${fallback}`);
  out(`  ${label}: ${ref.width}×${ref.height} điểm ảnh, ${ref.bytes} byte, ${fingerprint(ref.sha256)}`);
  out(`    tải lên ${vnDateTime(new Date(ref.uploadedAt))} bởi ${ref.uploadedBy}`);
}

function printChain(
  out: (l: string) => void,
  ref: { sha256: string; subject: string; issuer: string; notAfter: string } | undefined,
  provider: string,
) {
  if (!ref)
    return out(`  Chứng thư số: ${provider === 'kms' ? 'chưa có (khóa KMS cần chuỗi chứng thư: put-chain)' : 'do dịch vụ ký số cung cấp'}`);
  out(`  Chứng thư số: ${ref.subject}`);
  out(`    cấp bởi ${ref.issuer}; hết hạn ${vnDateTime(new Date(ref.notAfter))}; ${fingerprint(ref.sha256)}`);
}

/** Never writes image bytes to stdout: only what identifies them. */
export async function orgSigningCommand(client: BaocaoClient, args: OrgSigningArgs, out: (line: string) => void): Promise<number> {
  switch (args.action) {
    case 'show': {
      const facts = await client.request<MaterialFacts>('/api/signing/material');
      if (!facts.signing) {
        out('Tổ chức chưa khai báo ký số (signing): văn bản ban hành dạng .docx, không ký số.');
        return 0;
      }
      const missing = (p: string) =>
        p === 'local' ? 'chưa có (dùng ảnh mẫu của CA thử nghiệm cục bộ)' : 'CHƯA CÓ — cần tải lên trước khi trình ký';
      out(`Người ký: ${facts.person.name} (mã ${facts.person.id}, dịch vụ ${facts.person.provider})`);
      printImage(out, 'Ảnh chữ ký', facts.person.image, missing(facts.person.provider));
      printChain(out, facts.person.chain, facts.person.provider);
      for (const s of facts.byType ?? []) {
        out(`Người ký báo cáo loại "${s.reportType}": ${s.name} (mã ${s.id}, dịch vụ ${s.provider})`);
        printImage(out, 'Ảnh chữ ký', s.image, missing(s.provider));
        printChain(out, s.chain, s.provider);
      }
      out(`Cơ quan: ${facts.organization.name} (dịch vụ ${facts.organization.provider})`);
      printImage(out, 'Ảnh con dấu', facts.organization.seal, missing(facts.organization.provider));
      printChain(out, facts.organization.chain, facts.organization.provider);
      return 0;
    }
    case 'put-image': {
      if (!!args.person === !!args.seal)
        throw new OrgSigningUsageError('Dùng một trong hai: --person <mã> <tệp.png> hoặc --seal <tệp.png>.');
      const png = await read(args.seal ?? args.file, 'tệp ảnh PNG');
      const path = args.person
        ? `/api/signing/material/person/${encodeURIComponent(args.person)}/image`
        : '/api/signing/material/organization/image';
      const saved = await client.request<{ version: number; sha256: string; width: number; height: number; warnings: string[] }>(path, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ png: png.toString('base64') }),
      });
      out(
        `Đã lưu ${args.person ? 'ảnh chữ ký' : 'ảnh con dấu'} (${saved.width}×${saved.height}, ${fingerprint(saved.sha256)}); cấu hình tổ chức phiên bản ${saved.version}.`,
      );
      for (const w of saved.warnings) out(`  Cảnh báo: ${w}`);
      return 0;
    }
    case 'put-chain': {
      if (!!args.person === !!args.organization)
        throw new OrgSigningUsageError('Dùng một trong hai: --person <mã> <tệp.pem> hoặc --organization <tệp.pem>.');
      const data = await read(args.organization ?? args.file, 'tệp chứng thư số');
      const path = args.person
        ? `/api/signing/material/person/${encodeURIComponent(args.person)}/chain`
        : '/api/signing/material/organization/chain';
      const saved = await client.request<{ version: number; sha256: string; subject: string; notAfter: string; warnings: string[] }>(path, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ data: data.toString('base64') }),
      });
      out(
        `Đã lưu chuỗi chứng thư số "${saved.subject}" (hết hạn ${vnDateTime(new Date(saved.notAfter))}, ${fingerprint(saved.sha256)}); cấu hình tổ chức phiên bản ${saved.version}.`,
      );
      for (const w of saved.warnings) out(`  Cảnh báo: ${w}`);
      return 0;
    }
    default:
      throw new OrgSigningUsageError(`Lệnh org signing không hợp lệ: ${args.action ?? '(trống)'}. Dùng: show, put-image, put-chain.`);
  }
}
