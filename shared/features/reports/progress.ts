import type { Organization } from '../../config/schema';
import { html } from '../../http/html';
import type { ReportRecord } from '../../ports';

export const STATUS_LABEL: Record<string, string> = {
  compiling: 'Đang tổng hợp',
  editing: 'Đang biên tập, chờ gửi phê duyệt',
  awaiting_approval: 'Chờ phê duyệt',
  released: 'Đã ban hành',
  returned: 'Bị trả lại, chờ tổng hợp lại',
  rejected: 'Đã dừng sau khi bị trả lại',
  abandoned: 'Đã dừng khi biên tập',
  timed_out: 'Quá hạn phê duyệt',
  failed: 'Lỗi',
  superseded: 'Đã được thay bằng báo cáo mới hơn',
};

export const STATUS_BADGE: Record<string, string> = {
  compiling: 'badge-info',
  editing: 'badge-warn',
  awaiting_approval: 'badge-warn',
  released: 'badge-ok',
  returned: 'badge-err',
  rejected: 'badge-err',
  abandoned: 'badge-err',
  timed_out: 'badge-err',
  failed: 'badge-err',
  superseded: 'badge-info',
};

export function statusBadge(status: string) {
  return html`<span class="badge ${STATUS_BADGE[status] ?? ''}">${STATUS_LABEL[status] ?? 'Không rõ'}</span>`;
}

type StepState = 'done' | 'current' | 'failed' | 'todo';

/** Kiểm tra → Tổng hợp → Dự thảo → each approval step → Ban hành, with where the report stands. */
export function progressSteps(r: ReportRecord, chain: Organization['approvalChain']): Array<{ label: string; state: StepState }> {
  const labels = ['Kiểm tra', 'Tổng hợp', 'Dự thảo', ...chain.map((s, i) => `Bước ${i + 1}: ${s.role}`), 'Ban hành'];
  // Index of the stage in progress (labels.length = all done).
  let at: number;
  if (r.status === 'released') at = labels.length;
  else if (r.status === 'compiling') at = r.aggregateKey ? 2 : 0;
  else if (r.status === 'editing' || r.status === 'abandoned') at = 2;
  else if (r.status === 'awaiting_approval') at = 3 + (r.approval?.stepIndex ?? r.currentStep ?? 0);
  else {
    const returnedAt = r.decisions.filter((d) => d.decision === 'return').at(-1)?.stepIndex;
    at = returnedAt !== undefined ? 3 + returnedAt : r.drafts.length ? 3 + (r.currentStep ?? 0) : 0;
  }
  const stopped = ['returned', 'rejected', 'abandoned', 'timed_out', 'failed'].includes(r.status);
  return labels.map((label, i) => ({
    label,
    state: i < at ? 'done' : i === at ? (stopped ? 'failed' : 'current') : 'todo',
  }));
}

const STATE_TEXT: Record<StepState, string> = { done: 'xong', current: 'đang thực hiện', failed: 'dừng ở đây', todo: 'chưa đến' };

export function progressList(r: ReportRecord, chain: Organization['approvalChain']) {
  return html`<ol class="steps" aria-label="Tiến độ">${progressSteps(r, chain).map(
    (s) =>
      html`<li class="${s.state}"${s.state === 'current' ? html` aria-current="step"` : ''}>${s.label}<span class="sr"> (${STATE_TEXT[s.state]})</span></li>`,
  )}</ol>`;
}
