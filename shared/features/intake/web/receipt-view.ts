import type { Issue } from '../../../domain/submission';
import { receiptNumber } from '../receipt';
import type { UploadOutcomeRecord } from './upload-client';

/** After an accepted submission: a receipt at the top of the page (reference, time, version). */
export function showReceipt(box: HTMLElement | null, rec: UploadOutcomeRecord) {
  if (!box || rec.status !== 'accepted') return;
  box.className = 'receipt';
  box.textContent = '';
  const h = document.createElement('p');
  h.innerHTML = '<b>Đã tiếp nhận số liệu.</b> Đồng chí có thể ghi lại số tiếp nhận để đối chiếu.';
  const dl = document.createElement('dl');
  const at = rec.receivedAt ? new Date(rec.receivedAt) : new Date();
  const rows: Array<[string, string]> = [
    ['Số tiếp nhận', receiptNumber(rec)],
    ['Thời gian', at.toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' })],
    ['Lần nộp', `Lần thứ ${rec.version ?? 1}`],
  ];
  for (const [k, v] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dl.append(dt, dd);
  }
  box.append(h, dl);
  box.hidden = false;
  box.focus();
  box.scrollIntoView({ block: 'start' });
}

/** Issues of an uploaded file, listed under the upload with their place in the file (sheet and cell). */
export function listFileIssues(slot: HTMLElement, issues: Issue[], place: (field: string) => string | undefined) {
  for (const issue of issues) {
    const p = document.createElement('p');
    p.className = issue.severity === 'error' ? 'err' : 'warn';
    const at = place(issue.field);
    p.textContent = `${issue.severity === 'error' ? 'Lỗi' : 'Cảnh báo'}${at ? ` (${at})` : ''}: ${issue.label ? `${issue.label}: ` : ''}${issue.message}`;
    slot.append(p);
  }
}
