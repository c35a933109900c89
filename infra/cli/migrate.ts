/**
 * `baocao migrate --org <id> [--type <t>] [--dry-run]`: moves data written before tenancy (keys
 * without organization and report type) to the keys of a named organization. Talks to DynamoDB and
 * S3 directly (an operator's one-off maintenance, not an API call): the table and bucket come from
 * --table/--bucket or TABLE_NAME/BUCKET_NAME, endpoints from AWS_ENDPOINT_URL_DYNAMODB/_S3 locally.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { DynamoOrganizationStore } from '../../shared/adapters/aws/dynamo-organization-store';
import { makeS3Client } from '../../shared/adapters/aws/s3-blob-store';
import { type MigrationCounts, type MigrationReport, UnscopedMigration } from '../../shared/adapters/aws/unscoped-migration';
import { checkOrganization } from '../../shared/features/organizations/organizations';

export const MIGRATE_HELP = `  migrate --org <mã> [--type <loại>] [--dry-run] [--table <bảng>] [--bucket <kho>]
                                                     Chuyển dữ liệu ghi trước khi có nhiều tổ chức (khóa không có tổ chức)
                                                     sang khóa của tổ chức; chạy lại an toàn, --dry-run chỉ đếm`;

export class MigrateUsageError extends Error {}

export interface MigrateOptions {
  org?: string;
  type?: string;
  dryRun?: boolean;
  table?: string;
  bucket?: string;
  /** Tests pass the embedded services' clients; otherwise built from the environment. */
  clients?: { dynamo: DynamoDBClient; s3: S3Client };
}

const line = (what: string, c: MigrationCounts, movedWord: string, dryRun: boolean) =>
  dryRun
    ? `  ${what}: tìm thấy ${c.found}`
    : `  ${what}: tìm thấy ${c.found}, ${movedWord} ${c.moved}, hoàn tất từ lần chạy trước ${c.resumed}, xung đột ${c.conflicts.length}`;

export function describeMigration(r: MigrationReport, scope: { orgId: string; reportType: string }): string[] {
  const out = [
    `${r.dryRun ? 'Chạy thử (không ghi gì): dữ liệu cũ sẽ chuyển' : 'Đã chuyển dữ liệu cũ'} sang tổ chức ${scope.orgId}, loại báo cáo ${scope.reportType}.`,
    line('Mục dữ liệu (kỳ, báo cáo, tiếp nhận, tệp đã nhận)', r.items, 'đã chuyển', r.dryRun),
    line('Liên kết (phê duyệt, tải về, nộp số liệu, số văn bản, đăng nhập)', r.links, 'đã gắn tổ chức', r.dryRun),
    line('Tệp (raw, drafts, submissions, released)', r.objects, 'đã chuyển', r.dryRun),
    `  Năm có dữ liệu: ${r.years.length ? r.years.join(', ') : 'không có'}`,
  ];
  const conflicts = [...r.items.conflicts, ...r.objects.conflicts];
  if (conflicts.length) {
    out.push(`Xung đột (khóa mới đã có dữ liệu khác; bản cũ được giữ nguyên, cần kiểm tra): ${conflicts.length}`);
    for (const c of conflicts.slice(0, 20)) out.push(`  - ${c}`);
    if (conflicts.length > 20) out.push(`  … và ${conflicts.length - 20} mục khác`);
  }
  if (!r.dryRun && r.items.found + r.links.found + r.objects.found === 0) out.push('Không còn dữ liệu cũ nào cần chuyển.');
  return out;
}

export async function migrateCommand(opts: MigrateOptions, out: (line: string) => void): Promise<number> {
  if (!opts.org) throw new MigrateUsageError('Thiếu --org <mã tổ chức> nhận dữ liệu cũ.');
  const table = opts.table ?? process.env.TABLE_NAME;
  const bucket = opts.bucket ?? process.env.BUCKET_NAME;
  if (!table) throw new MigrateUsageError('Thiếu tên bảng DynamoDB: --table <bảng> hoặc biến TABLE_NAME.');
  if (!bucket) throw new MigrateUsageError('Thiếu tên kho S3: --bucket <kho> hoặc biến BUCKET_NAME.');
  const dynamo = opts.clients?.dynamo ?? new DynamoDBClient({});
  const s3 = opts.clients?.s3 ?? makeS3Client();
  const store = new DynamoOrganizationStore(table, dynamo);
  const stored = await store.get(opts.org);
  if (!stored) throw new MigrateUsageError(`Không có tổ chức "${opts.org}" trong hệ thống: lưu cấu hình trước (baocao org put).`);
  const check = checkOrganization(stored.document);
  if (!check.organization) throw new MigrateUsageError(`Cấu hình tổ chức "${opts.org}" không hợp lệ — ${check.errors.join('; ')}`);
  const types = check.organization.reportTypes;
  const reportType = opts.type ?? (types.includes('cchc') ? 'cchc' : types[0]);
  if (!types.includes(reportType)) {
    throw new MigrateUsageError(
      `Loại báo cáo (--type) "${reportType}": tổ chức ${opts.org} không lập loại này. Các loại: ${types.join(', ')}.`,
    );
  }
  const known = (await store.list()).map((o) => o.id);
  const scope = { orgId: opts.org, reportType };
  const report = await new UnscopedMigration(table, dynamo, scope, { s3, bucket }, known).run({ dryRun: Boolean(opts.dryRun) });
  for (const l of describeMigration(report, scope)) out(l);
  return report.items.conflicts.length + report.objects.conflicts.length ? 3 : 0;
}
