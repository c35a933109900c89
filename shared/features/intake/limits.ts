import type { Issue } from '../../domain/submission';

/**
 * The sizes intake and storage agree on (docs/submission.md, docs/adr/0031-records-exactly-once.md):
 * - an upload is at most MAX_UPLOAD_BYTES (the presigned POST's condition, re-checked by ingest);
 * - a valid submission (up to 300 table rows × 10,000 characters) can be larger than a
 *   DynamoDB item (400 KB), so its body lives in S3 and the table keeps a pointer;
 * - an outcome keeps at most MAX_RECORDED_ISSUES errors and as many warnings, each field cut to
 *   MAX_ISSUE_CHARS: about 100 × 1.2 KB × 2 ≈ 240 KB in the worst case, under the 400 KB item.
 */
export const MAX_UPLOAD_BYTES = 1024 * 1024;
export const MAX_RECORDED_ISSUES = 100;
export const MAX_ISSUE_CHARS = 400;

const cut = (s: string) => (s.length > MAX_ISSUE_CHARS ? `${s.slice(0, MAX_ISSUE_CHARS - 1)}…` : s);

function boundIssue(i: Issue): Issue {
  return { ...i, rule: cut(i.rule), field: cut(i.field), label: cut(i.label), message: cut(i.message) };
}

/**
 * The first MAX_RECORDED_ISSUES issues, each cut to size, and the total. When errors were left
 * out, a last entry tells the clerk how many ("… và N lỗi khác").
 */
export function boundIssues(list: Issue[], kind: 'lỗi' | 'cảnh báo'): { issues: Issue[]; total: number } {
  const kept = list.slice(0, MAX_RECORDED_ISSUES).map(boundIssue);
  const more = list.length - kept.length;
  if (more > 0) {
    kept.push({
      rule: 'issues.more',
      field: 'file',
      label: 'Tệp',
      message: `Tệp có tổng cộng ${list.length} ${kind}: ${kept.length} ${kind} liệt kê ở trên và ${more} ${kind} khác. Hãy sửa các ${kind} trên rồi nộp lại để xem tiếp.`,
      severity: kind === 'lỗi' ? 'error' : 'warning',
    });
  }
  return { issues: kept, total: list.length };
}
