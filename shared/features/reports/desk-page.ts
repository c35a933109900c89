import type { Organization } from '../../config/schema';
import type { DeskFlag, ResultItem } from '../../domain/desk';
import type { ReportTemplate } from '../../domain/template';
import { draftName, periodName, periodNameInText } from '../../format/period-name';
import { vnDateTime } from '../../format/vietnam-time';
import { html, page, raw } from '../../http/html';
import { auditActor } from './audit-text';
import { type DeskView, type LaterSubmission, narrativeLabel } from './desk';

const FLAG_TEXT: Record<DeskFlag['kind'], string> = {
  changed: 'Đơn vị đã sửa ý này: chỉnh sửa trước đây không còn áp dụng, cần xem lại',
  vanished: 'Ý này không còn trong số liệu của đơn vị: chỉnh sửa trước đây không còn áp dụng',
  added: 'Ý mới của đơn vị, chưa được biên tập',
};

function flagList(flags: DeskFlag[], template: ReportTemplate) {
  if (!flags.length) return '';
  const stale = flags.filter((f) => f.kind !== 'added');
  return html`<div class="alert alert-warn" role="status" id="can-xem-lai"><p><b>Cần xem lại ${flags.length} ý sau lần tổng hợp mới.</b>${
    stale.length
      ? ` ${stale.length} chỉnh sửa trước đây không còn áp dụng (ý gốc đã được đơn vị sửa hoặc bỏ) và đã không được đưa vào dự thảo.`
      : ''
  }</p><ul>${flags.map(
    (f) =>
      html`<li>Mục “${narrativeLabel(template, f.narrativeId)}”: ${FLAG_TEXT[f.kind].split(':')[0].toLowerCase()} — “${f.text}”${f.now ? html`; nay là “${f.now}”` : ''}.</li>`,
  )}</ul></div>`;
}

function itemRow(id: string, k: number, item: ResultItem) {
  const base = `n:${id}:${k}`;
  const fid = (f: string) => `d-${id}-${k}-${f}`;
  const cls = item.dropped ? 'desk-item dropped' : item.flag ? 'desk-item flagged' : item.edited ? 'desk-item edited' : 'desk-item';
  return html`<li class="${cls}" data-desk-item>
<input type="hidden" name="${base}:from" value="${JSON.stringify(item.from)}">
<label for="${fid('text')}">Ý ${k + 1}${item.dropped ? ' (đã bỏ, không in trong dự thảo)' : item.edited ? ' (đã biên tập)' : ''}${item.from.length > 1 ? `, gộp từ ${item.from.length} ý` : ''}</label>
${item.flag ? html`<p class="warn" id="${fid('flag')}">${FLAG_TEXT[item.flag]}.</p>` : ''}
<textarea id="${fid('text')}" name="${base}:text" rows="3"${item.flag ? raw(` aria-describedby="${fid('flag')}"`) : ''}>${item.text}</textarea>
<div class="desk-controls">
<span class="order"><label for="${fid('order')}">Thứ tự</label><input type="number" inputmode="numeric" min="1" id="${fid('order')}" name="${base}:order" value="${k + 1}"></span>
<label class="check"><input type="checkbox" name="${base}:merge" value="1"> Gộp vào ý phía trên</label>
<label class="check"><input type="checkbox" name="${base}:drop" value="1"${item.dropped ? raw(' checked') : ''}> Bỏ ý này</label>
</div></li>`;
}

/** Submissions that came in while the compiler edits: this draft does not carry them. */
function laterNotice(later: LaterSubmission[], org: Organization) {
  if (!later.length) return '';
  const name = (id: string) => org.divisions.find((d) => d.id === id)?.name ?? id;
  return html`<div class="alert alert-warn" role="status"><p><b>Có số liệu nộp sau khi tổng hợp; dự thảo này chưa có các số liệu đó:</b></p>
<ul>${later.map((s) => html`<li>${name(s.divisionId)} — ${periodNameInText(s.periodId)}, lần nộp ${String(s.version)}, lúc ${vnDateTime(s.submittedAt)}</li>`)}</ul>
<p>Để đưa vào báo cáo, hãy dừng báo cáo này (trên trang báo cáo) rồi tổng hợp lại; nếu không, cứ biên tập và gửi phê duyệt.</p></div>`;
}

export function deskPage(p: {
  view: DeskView;
  /** Submissions received after the figures were computed (not in this draft). */
  later?: LaterSubmission[];
  subject: string;
  template: ReportTemplate;
  organization: Organization;
  user?: string;
  saved?: number;
  error?: string;
}) {
  const { report: r, result, versions } = p.view;
  const id = encodeURIComponent(r.reportId);
  const name = periodName(r.periodId);
  const open = r.status === 'editing';
  const sections = p.template.narratives.filter((n) => (result.items[n.id] ?? []).length > 0);
  const facts = p.template.reportFacts.map((f) => {
    const fid = `fact-${f.id}`;
    return html`<label for="${fid}">${f.label}${f.required ? html` <span class="req">(*)</span>` : ''}</label>
${f.help ? html`<p class="help">${f.help}</p>` : ''}<textarea id="${fid}" name="fact:${f.id}" rows="2">${r.reportFacts?.[f.id] ?? ''}</textarea>`;
  });
  const form = html`<form method="post" action="/reports/${id}/desk" id="bien-tap">
<input type="hidden" name="version" value="${String(p.view.edits?.version ?? 0)}">
${
  sections.length > 3
    ? html`<nav class="section-menu" aria-label="Các mục nội dung"><details><summary>Đi tới mục (${String(sections.length)} mục có ý nội dung)</summary><ol>${sections.map((n) => html`<li><a href="#muc-${n.id}">${n.label}</a></li>`)}</ol></details></nav>`
    : ''
}
${facts.length ? html`<fieldset id="thong-tin"><legend>Thông tin của báo cáo</legend>${facts}</fieldset>` : ''}
${sections.map(
  (n) =>
    html`<fieldset id="muc-${n.id}"><legend>${n.label}</legend><ol class="desk-items">${(result.items[n.id] ?? []).map((item, k) => itemRow(n.id, k, item))}</ol></fieldset>`,
)}
${sections.length ? '' : html`<p class="muted">Các đơn vị chưa gửi ý nội dung nào cho kỳ này.</p>`}
<div class="actions send-bar"><button type="submit" name="send" value="0" class="secondary">Lưu biên tập</button><button type="submit" name="send" value="1">Lưu và gửi phê duyệt</button></div>
</form><script src="/assets/desk.js" defer></script>`;
  return page(
    `Biên tập dự thảo ${name}`,
    html`<h1>Biên tập dự thảo — Báo cáo ${p.subject}</h1>
<p>${draftName(r.drafts.length + (open ? 1 : 0))}. Sắp xếp (ô “Thứ tự”), sửa câu chữ, gộp hoặc bỏ các ý nội dung do các đơn vị gửi, và điền thông tin của báo cáo. Các số liệu và bảng được tính từ số liệu các đơn vị nên không sửa ở đây. Mỗi lần lưu được ghi lại (người lưu, thời gian, nội dung thay đổi); dự thảo gửi phê duyệt in đúng nội dung đã lưu.</p>
${p.error ? html`<p class="alert alert-err" role="alert" id="desk-error">${p.error}</p>` : ''}
${p.saved ? html`<p class="alert alert-ok" role="status">Đã lưu biên tập (lần lưu thứ ${String(p.saved)}).</p>` : ''}
${laterNotice(p.later ?? [], p.organization)}
${flagList(result.flags, p.template)}
${open ? form : html`<div class="alert"><p>Báo cáo không còn ở bước biên tập; nội dung dưới đây chỉ để xem.</p></div>${sections.map((n) => html`<h2>${n.label}</h2><ol>${(result.items[n.id] ?? []).filter((i) => !i.dropped).map((i) => html`<li>${i.text}</li>`)}</ol>`)}`}
<h2>Các lần lưu biên tập</h2>
${
  versions.length
    ? html`<table class="stack"><thead><tr><th scope="col">Lần lưu</th><th scope="col">Thời gian</th><th scope="col">Người lưu</th><th scope="col">Thay đổi</th></tr></thead><tbody>${[
        ...versions,
      ]
        .reverse()
        .map(
          (v) =>
            html`<tr><td data-label="Lần lưu">${String(v.version)}</td><td data-label="Thời gian">${vnDateTime(v.savedAt)}</td><td data-label="Người lưu">${auditActor(v.savedBy)}</td><td data-label="Thay đổi">${v.summary}</td></tr>`,
        )}</tbody></table>`
    : html`<p class="muted">Chưa lưu lần nào: dự thảo in nội dung như các đơn vị gửi.</p>`
}`,
    p.error ? 409 : 200,
    {
      organization: p.organization,
      user: p.user,
      current: 'reports',
      crumbs: [[`Kỳ ${name}`, `/periods/${r.periodId}`], [`Báo cáo ${name}`, `/reports/${id}`], ['Biên tập']],
    },
  );
}
