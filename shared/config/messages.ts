/**
 * Zod issues as Vietnamese messages that name the field: "Chức vụ người ký (signature.title): không
 * được để trống". Messages written in Vietnamese by a schema (custom refinements) are kept.
 */
export interface IssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  input?: unknown;
  minimum?: number | bigint;
  maximum?: number | bigint;
  origin?: string;
  format?: string;
  values?: unknown[];
  keys?: string[];
  expected?: string;
}

function fieldName(path: PropertyKey[], labels: Record<string, string>): string {
  const dotted = path.map(String).join('.');
  if (!dotted) return '(gốc)';
  const generic = path.map((p) => (typeof p === 'number' ? '*' : String(p))).join('.');
  const label = labels[dotted] ?? labels[generic];
  return label ? `${label} (${dotted})` : dotted;
}

function reason(issue: IssueLike): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'bắt buộc, chưa khai báo' : `sai kiểu dữ liệu (cần ${typeVi(issue.expected)})`;
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'không được để trống' : `cần ít nhất ${issue.minimum} ký tự`;
      if (issue.origin === 'array') return `cần ít nhất ${issue.minimum} mục`;
      return `phải từ ${issue.minimum} trở lên`;
    case 'too_big':
      return issue.origin === 'string' ? `tối đa ${issue.maximum} ký tự` : `tối đa ${issue.maximum}`;
    case 'invalid_format':
      return issue.format === 'email' ? 'địa chỉ email không hợp lệ' : 'sai định dạng';
    case 'invalid_value':
      return `phải là một trong: ${(issue.values ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `có trường không được hỗ trợ: ${(issue.keys ?? []).join(', ')}`;
    default:
      return issue.message;
  }
}

function typeVi(t: string | undefined): string {
  return { string: 'chuỗi ký tự', number: 'số', boolean: 'true/false', array: 'danh sách', object: 'đối tượng' }[t ?? ''] ?? String(t);
}

export function zodIssuesVi(issues: readonly IssueLike[], labels: Record<string, string> = {}): string[] {
  return issues.map((i) => `${fieldName(i.path, labels)}: ${reason(i)}`);
}
