/** `baocao org …`: organizations as data (list, show, validate, put, seed). */
import { readFile } from 'node:fs/promises';
import bundled from '../../shared/config/organization.json' with { type: 'json' };
import { checkOrganization } from '../../shared/features/organizations/organizations';
import type { BaocaoClient } from './client';
import { ORG_SIGNING_HELP, type OrgSigningArgs, orgSigningCommand } from './org-signing';

export const ORG_HELP = `  org list                                           Các tổ chức trong hệ thống
  org show <mã-tổ-chức>                              Cấu hình (JSON) và phiên bản của một tổ chức
  org validate <tệp.json>                            Kiểm tra tệp cấu hình (không gửi đi): lỗi nêu tên trường
  org put <tệp.json> [--expected-version N]          Kiểm tra rồi lưu cấu hình (có hiệu lực không cần triển khai lại)
  org seed                                           Lưu tổ chức mẫu đi kèm khi hệ thống chưa có tổ chức nào
${ORG_SIGNING_HELP}`;

export class OrgUsageError extends Error {}

async function readDocument(file: string | undefined): Promise<unknown> {
  if (!file) throw new OrgUsageError('Thiếu đường dẫn tệp cấu hình.');
  const text = await readFile(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new OrgUsageError(`Tệp ${file} không phải JSON hợp lệ: ${(err as Error).message}`);
  }
}

/** Prints the problems of a document; true when it may be stored. */
function report(check: ReturnType<typeof checkOrganization>, out: (line: string) => void, file: string): boolean {
  if (check.organization) {
    out(
      `Hợp lệ: ${check.organization.id} — ${check.organization.agencyName} (loại báo cáo: ${check.organization.reportTypes.join(', ')}).`,
    );
    return true;
  }
  out(`Tệp ${file} chưa hợp lệ (${check.errors.length} lỗi):`);
  for (const e of check.errors) out(`  - ${e}`);
  return false;
}

export async function orgCommand(
  client: BaocaoClient,
  args: { sub?: string; arg?: string; expectedVersion?: string; signing?: OrgSigningArgs },
  out: (line: string) => void,
): Promise<number> {
  switch (args.sub) {
    case 'list': {
      const { organizations } = await client.request<{ organizations: Array<{ id: string; agencyName: string; version: number }> }>(
        '/api/orgs',
      );
      if (organizations.length === 0) out('Chưa có tổ chức nào. Chạy "baocao org seed" hoặc "baocao org put <tệp.json>".');
      for (const o of organizations) out(`  ${o.id.padEnd(28)} ${o.agencyName}  (phiên bản ${o.version})`);
      return 0;
    }
    case 'show': {
      if (!args.arg) throw new OrgUsageError('Thiếu mã tổ chức.');
      const rec = await client.request<{ version: number; document: unknown }>(`/api/orgs/${encodeURIComponent(args.arg)}`);
      out(JSON.stringify({ version: rec.version, document: rec.document }, null, 2));
      return 0;
    }
    case 'validate': {
      const file = args.arg ?? '';
      return report(checkOrganization(await readDocument(file)), out, file) ? 0 : 2;
    }
    case 'put': {
      const file = args.arg ?? '';
      const document = await readDocument(file);
      if (!report(checkOrganization(document), out, file)) return 2;
      const id = String((document as { id: string }).id);
      const expectedVersion = args.expectedVersion === undefined ? undefined : Number(args.expectedVersion);
      const saved = await client.request<{ id: string; version: number }>(`/api/orgs/${encodeURIComponent(id)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ document, ...(expectedVersion === undefined ? {} : { expectedVersion }) }),
      });
      out(`Đã lưu cấu hình ${saved.id}, phiên bản ${saved.version}.`);
      return 0;
    }
    case 'seed': {
      const { organizations } = await client.request<{ organizations: unknown[] }>('/api/orgs');
      if (organizations.length > 0) {
        out(`Hệ thống đã có ${organizations.length} tổ chức; không lưu tổ chức mẫu.`);
        return 0;
      }
      const saved = await client.request<{ id: string; version: number }>(`/api/orgs/${encodeURIComponent(bundled.id)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ document: bundled }),
      });
      out(`Đã lưu tổ chức mẫu ${saved.id}, phiên bản ${saved.version}.`);
      return 0;
    }
    case 'signing':
      return orgSigningCommand(client, { ...args.signing, action: args.arg }, out);
    default:
      throw new OrgUsageError(`Lệnh org không hợp lệ: ${args.sub ?? '(trống)'}. Dùng: list, show, validate, put, seed, signing.`);
  }
}
