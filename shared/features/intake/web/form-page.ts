import { formatInteger } from '../../../format/vi';
import { html, page, raw } from '../../../http/html';
import type { FormModel } from '../form-model';
import { FORMAT_HINT } from '../form-model';
import { errorId, type FormConfig, helpId, inputId } from './ids';

/** Styles of the intake pages (phone width first; visible focus for keyboard use). */
export const INTAKE_STYLE = `
.field{margin:.8rem 0}.field input{font-size:1rem;padding:.4rem;width:12rem;max-width:100%}
.help{color:#444;font-size:.9rem;margin:.1rem 0}
.field-error{margin:.2rem 0;font-weight:bold}.field-error:empty{display:none}
.field-error .err,.field-error.err{color:#a00}.field-error .warn{color:#8a5a00}
[aria-invalid=true]{border:2px solid #a00;background:#fff4f4}
:focus-visible{outline:3px solid #1a56db;outline-offset:2px}
fieldset{border:1px solid #ccc;margin:1rem 0;padding:.5rem 1rem}legend{font-weight:bold;padding:0 .3rem}
.table-wrap{overflow-x:auto}.table-wrap input{width:100%;min-width:7rem;font-size:1rem}
.table-wrap td{min-width:7rem}
#summary:empty{display:none}#summary{border:2px solid #a00;padding:.5rem 1rem}
#result{white-space:pre-line}#result:empty{display:none}
.notice{background:#f3f6fb;border-left:4px solid #1a56db;padding:.5rem 1rem}
.sr{position:absolute;left:-9999px}
@media (max-width:40rem){.field input{width:100%}}
`;

export function intakeFormPage(p: {
  divisionName: string;
  periodLabel: string;
  deadline: string;
  expiresAt: string;
  model: FormModel;
  prefillFrom?: string;
  config: FormConfig;
  /** Set when the quarter is locked: no form, only this message. */
  locked?: string;
}) {
  const head = html`<h1>Nộp số liệu báo cáo ${p.periodLabel}</h1>
<p>Đơn vị: <b>${p.divisionName}</b>. Hạn nộp: <b>${p.deadline}</b>. Liên kết có hiệu lực đến ${p.expiresAt}.</p>`;
  if (p.locked) return page('Nộp số liệu', html`${head}<p class="err" role="alert">${p.locked}</p>`, 423);

  const pre = p.config.prefill;
  const indicators = p.model.indicators.map((i) => {
    const field = `indicators.${i.id}`;
    const v = pre?.indicators[i.id];
    const described = [i.help ? helpId(field) : '', errorId(field)].filter(Boolean).join(' ');
    return html`<div class="field"><label for="${inputId(field)}">${i.label}${i.unit ? ` (${i.unit})` : ''}</label>
${i.help ? html`<p class="help" id="${helpId(field)}">${i.help}</p>` : ''}
<input id="${inputId(field)}" name="${field}" data-field="${field}" inputmode="numeric" autocomplete="off" value="${v === undefined ? '' : formatInteger(v)}" aria-describedby="${described}">
<div class="field-error" id="${errorId(field)}" aria-live="polite"></div></div>`;
  });
  const tables = p.model.tables.map((t) => {
    const field = `tables.${t.id}`;
    const hints = t.columns.filter((c) => c.format).map((c) => html`<li>${c.label}: ${FORMAT_HINT[c.format!]}</li>`);
    return html`<fieldset><legend id="${inputId(field)}" tabindex="-1">${t.label}</legend>
${hints.length ? html`<ul class="help" id="${helpId(field)}">${hints}</ul>` : ''}
<div class="table-wrap"><table data-table="${t.id}"><thead><tr><th scope="col">Dòng</th>${t.columns.map((c) => html`<th scope="col">${c.label}${c.required ? ' (*)' : ''}</th>`)}<th scope="col"><span class="sr">Xóa</span></th></tr></thead><tbody></tbody></table></div>
<div class="field-error" id="${errorId(field)}" aria-live="polite"></div>
<p><button type="button" data-add="${t.id}">Thêm dòng</button></p></fieldset>`;
  });
  const narratives = p.model.narratives.map((n) => {
    const field = `narratives.${n.id}`;
    return html`<div class="field"><label for="${inputId(field)}">${n.label}</label>
<p class="help" id="${helpId(field)}">${n.help ? `${n.help} ` : ''}Mỗi dòng là một gạch đầu dòng trong báo cáo.</p>
<textarea id="${inputId(field)}" name="${field}" data-field="${field}" rows="4" aria-describedby="${helpId(field)} ${errorId(field)}">${(pre?.narratives[n.id] ?? []).join('\n')}</textarea>
<div class="field-error" id="${errorId(field)}" aria-live="polite"></div></div>`;
  });
  // "<" inside JSON cannot close the script element.
  const config = JSON.stringify(p.config).replace(/</g, '\\u003c');
  return page(
    'Nộp số liệu',
    html`<style>${raw(INTAKE_STYLE)}</style>${head}
${p.prefillFrom ? html`<p class="notice">Biểu mẫu đã điền sẵn số liệu đơn vị nộp ${p.prefillFrom === p.config.periodId ? 'lần gần nhất cho kỳ này' : `cho kỳ trước (${p.prefillFrom})`}; đề nghị kiểm tra, sửa trước khi gửi.</p>` : ''}
<p id="draft-note" class="notice" hidden></p>
<p>Các mục có dấu (*) là bắt buộc. Số có thể ghi 16075 hoặc 16.075. Số liệu đang nhập được lưu trên máy này, không mất khi mất mạng.</p>
<div id="summary" role="alert" tabindex="-1"></div>
<form id="nop" novalidate>
${p.model.indicators.length ? html`<fieldset><legend>Số liệu</legend>${indicators}</fieldset>` : ''}
${tables}
${p.model.narratives.length ? html`<fieldset><legend>Nội dung báo cáo</legend>${narratives}</fieldset>` : ''}
<div class="field-error" id="${errorId('')}" aria-live="polite"></div>
<p><button type="submit" id="send">Gửi số liệu</button></p>
</form>
<div id="result" role="status" aria-live="polite" tabindex="-1"></div>
<section class="box"><h2>Hoặc tải lên tệp đã điền</h2>
<p><a href="/nop/${p.config.secret}/mau.xlsx" download>Tải mẫu Excel (.xlsx) của đơn vị</a>, điền rồi tải lên; hoặc tải lên tệp JSON theo định dạng quy định.</p>
<form id="file-upload" novalidate><label for="file">Tệp đã điền (.xlsx hoặc .json)</label>
<input id="file" name="file" type="file" accept=".xlsx,.json,application/json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-describedby="${errorId('file')}">
<div class="field-error" id="${errorId('file')}" aria-live="polite"></div>
<p><button type="submit">Tải tệp lên</button></p></form></section>
<script type="application/json" id="form-config">${raw(config)}</script>
<script src="/assets/form.js" defer></script>`,
  );
}
