import { bareDocumentNumber, draftName, periodName } from '../../format/period-name';
import { vnDateTime } from '../../format/vietnam-time';
import { html, type Raw } from '../../http/html';
import type { AuditEntry } from '../../ports';

type Detail = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
const list = (v: unknown) => (Array.isArray(v) ? v.map(str).join(', ') : str(v));
const step = (d: Detail) => (d.step ? ` (bước ${str(d.step)}${d.role ? `, ${str(d.role)}` : ''})` : '');
const INVITE: Record<string, string> = {
  open: 'Gửi liên kết nộp số liệu',
  remind: 'Gửi thư nhắc nộp số liệu',
  reopen: 'Gửi liên kết nộp bổ sung',
};

/**
 * Audit actions as sentences people read. Codes stay in the store and in the CSV export's
 * "Mã việc" column; an unknown code reads as a generic sentence, never as the code.
 */
const SENTENCE: Record<string, (d: Detail, division: (id: string) => string) => string> = {
  'submission.accepted': (d) =>
    `Tiếp nhận số liệu${d.version ? `, lần nộp thứ ${str(d.version)}` : ''}${d.via === 'form' ? ' (biểu mẫu)' : ''}`,
  'intake.invite_open': (d, div) => `${INVITE.open} cho ${div(str(d.division))}`,
  'intake.invite_remind': (d, div) => `${INVITE.remind} cho ${div(str(d.division))}`,
  'intake.invite_reopen': (d, div) => `${INVITE.reopen} cho ${div(str(d.division))}`,
  'intake.reopened': (d, div) => `Mở lại việc nộp số liệu cho ${div(str(d.division))}${d.until ? ` đến ${vnDateTime(str(d.until))}` : ''}`,
  'report.compile_started': () => 'Bắt đầu kiểm tra và tổng hợp số liệu',
  'desk.opened': () => 'Số liệu đã tổng hợp; chờ Văn phòng biên tập trước khi gửi phê duyệt',
  'desk.saved': (d) => `Biên tập nội dung (lần lưu thứ ${str(d.version)}): ${str(d.summary)}`,
  'desk.sent': () => 'Văn phòng gửi dự thảo đã biên tập đi phê duyệt',
  'draft.built': (d) => `Dựng xong ${d.version ? draftName(Number(d.version)).toLowerCase() : 'dự thảo'}`,
  'email.approval_request': (d) => `Gửi thư xin ý kiến${step(d)}`,
  'email.approval_reminder': (d) => `Gửi thư nhắc phê duyệt${step(d)}`,
  'email.approval_escalation': (d) => `Gửi thư chuyển xử lý do quá hạn${step(d)}`,
  'email.approval_resend': (d) => `Gửi lại thư xin ý kiến${step(d)}`,
  'approval.reminder_due': (d) => `Đến hạn nhắc phê duyệt${step(d)}`,
  'approval.escalated': (d) => `Quá hạn, chuyển xử lý${step(d)}`,
  'approval.expired': (d) => `Hết hạn phê duyệt${step(d)}`,
  'approval.resent': (d) => `Văn phòng gửi lại thư xin ý kiến${step(d)}${d.comment ? `: “${str(d.comment)}”` : ''}`,
  'decision.approve': (d) => `Đồng ý dự thảo${step(d)}`,
  'decision.return': (d) => `Trả lại dự thảo${step(d)}${d.comment ? `: “${str(d.comment)}”` : ''}`,
  'report.returned': (d) => `Báo cáo bị trả lại${d.comment ? `: “${str(d.comment)}”` : ''}`,
  'report.recompile': (d) => `Văn phòng tổng hợp lại thành dự thảo mới${d.comment ? `: “${str(d.comment)}”` : ''}`,
  'report.abandon': (d) => `Văn phòng dừng báo cáo${d.comment ? `: “${str(d.comment)}”` : ''}`,
  'report.released': (d) => `Ban hành báo cáo${d.documentNumber ? `, số ${bareDocumentNumber(str(d.documentNumber))}` : ''}`,
  'email.release': (d) => `Gửi báo cáo đã ban hành tới nơi nhận${d.to ? ` (${list(d.to)})` : ''}`,
  'report.rejected': () => 'Kết thúc: báo cáo bị trả lại và không tổng hợp lại',
  'report.abandoned': () => 'Kết thúc: Văn phòng dừng báo cáo khi biên tập',
  'report.timed_out': () => 'Kết thúc: quá hạn phê duyệt',
  'report.failed': () => 'Kết thúc: có lỗi khi xử lý',
};

/** The sentence for an audit entry. */
export function auditSentence(a: AuditEntry, division: (id: string) => string = (id) => id): string {
  const f = SENTENCE[a.action];
  return f ? f(a.detail ?? {}, division) : 'Thao tác khác của hệ thống';
}

/** Who did it, as people read it: "system" → "Hệ thống", a division id → its name. */
export function auditActor(actor: string, division: (id: string) => string = (id) => id): string {
  if (actor === 'system') return 'Hệ thống';
  if (actor === 'local') return 'Văn phòng';
  return division(actor);
}

const TECH_LABEL: Record<string, string> = {
  key: 'Khóa lưu trữ',
  sha256: 'Mã băm SHA-256',
  draftSha256: 'Mã băm dự thảo',
  etag: 'ETag',
  versionId: 'Phiên bản lưu trữ',
  messageId: 'Mã thư',
  executionArn: 'Lượt xử lý',
  linkHash: 'Mã liên kết',
  invite: 'Mã liên kết',
  sourceIp: 'Địa chỉ IP',
};

/** Technical detail (keys, hashes, message ids) folded away under the sentence. */
export function auditTechnical(a: AuditEntry): Raw {
  const d = a.detail ?? {};
  const rows = Object.keys(TECH_LABEL)
    .filter((k) => d[k] !== undefined && d[k] !== '')
    .map((k) => html`<div>${TECH_LABEL[k]}: <span class="tech">${str(d[k])}</span></div>`);
  return rows.length ? html`<details><summary>Chi tiết kỹ thuật</summary>${rows}</details>` : html``;
}

/** A period named in an audit's context (used by the CSV export too). */
export const auditPeriod = periodName;
