import { formatInteger } from '../../../format/vi';
import { html, page, raw } from '../../../http/html';
import type { FormModel } from '../form-model';
import { FORMAT_HINT } from '../form-model';
import { errorId, type FormConfig, helpId, inputId } from './ids';

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
<div id="receipt" role="status" tabindex="-1" hidden></div>
<p>Đơn vị: <b>${p.divisionName}</b>. Hạn nộp: <b>${p.deadline}</b>. Liên kết có hiệu lực đến ${p.expiresAt}.</p>`;
  if (p.locked) return page('Nộp số liệu', html`${head}<p class="err" role="alert">${p.locked}</p>`, 423);

  const pre = p.config.prefill;
  const indicators = p.model.indicators.map((i) => {
    const field = `indicators.${i.id}`;
    const v = pre?.indicators[i.id];
    const described = [i.help ? helpId(field) : '', errorId(field)].filter(Boolean).join(' ');
    return html`<div class="field"><label for="${inputId(field)}">${i.label}${i.unit ? ` (${i.unit})` : ''} <span class="req" aria-hidden="true">(*)</span><span class="sr"> (bắt buộc)</span></label>
${i.help ? html`<p class="help" id="${helpId(field)}">${i.help}</p>` : ''}
<input id="${inputId(field)}" name="${field}" data-field="${field}" inputmode="numeric" autocomplete="off" required aria-required="true" value="${v === undefined ? '' : formatInteger(v)}" aria-describedby="${described}">
<div class="field-error" id="${errorId(field)}" aria-live="polite"></div></div>`;
  });
  const tables = p.model.tables.map((t) => {
    const field = `tables.${t.id}`;
    const hints = t.columns.filter((c) => c.format).map((c) => html`<li>${c.label}: ${FORMAT_HINT[c.format!]}</li>`);
    return html`<fieldset id="muc-${t.id}"><legend id="${inputId(field)}" tabindex="-1">${t.label}</legend>
${hints.length ? html`<ul class="help" id="${helpId(field)}">${hints}</ul>` : ''}
<div class="table-wrap"><table class="stack form-table" data-table="${t.id}"><thead><tr><th scope="col">Dòng</th>${t.columns.map((c) => html`<th scope="col">${c.label}${c.required ? html` <span class="req">(*)</span>` : ''}</th>`)}<th scope="col"><span class="sr">Xóa</span></th></tr></thead><tbody></tbody></table></div>
<div class="field-error" id="${errorId(field)}" aria-live="polite"></div>
<p><button type="button" class="secondary" data-add="${t.id}">Thêm dòng</button></p></fieldset>`;
  });
  const narratives = p.model.narratives.map((n) => {
    const field = `narratives.${n.id}`;
    return html`<div class="field"><label for="${inputId(field)}">${n.label}</label>
<p class="help" id="${helpId(field)}">${n.help ? `${n.help} ` : ''}Mỗi dòng là một gạch đầu dòng trong báo cáo.</p>
<textarea id="${inputId(field)}" name="${field}" data-field="${field}" rows="4" aria-describedby="${helpId(field)} ${errorId(field)}">${(pre?.narratives[n.id] ?? []).join('\n')}</textarea>
<div class="field-error" id="${errorId(field)}" aria-live="polite"></div></div>`;
  });
  // A long form gets a section menu (skip straight to a table or to sending).
  const sections = [
    ...(p.model.indicators.length ? [['muc-so-lieu', 'Số liệu']] : []),
    ...p.model.tables.map((t) => [`muc-${t.id}`, t.label]),
    ...(p.model.narratives.length ? [['muc-noi-dung', 'Nội dung báo cáo']] : []),
    ['muc-gui', 'Gửi số liệu'],
    ['muc-tep', 'Tải lên tệp đã điền'],
  ];
  const menu =
    sections.length > 3
      ? html`<nav class="card section-menu" aria-label="Các phần của biểu mẫu"><p><b>Các phần của biểu mẫu</b></p><ol>${sections.map(([id, label]) => html`<li><a href="#${id}">${label}</a></li>`)}</ol></nav>`
      : '';
  // "<" inside JSON cannot close the script element.
  const config = JSON.stringify(p.config).replace(/</g, '\\u003c');
  return page(
    'Nộp số liệu',
    html`${head}
${p.prefillFrom ? html`<p class="notice">Biểu mẫu đã điền sẵn số liệu đơn vị nộp ${p.prefillFrom === p.config.periodId ? 'lần gần nhất cho kỳ này' : `cho kỳ trước (${p.prefillFrom})`}; đề nghị kiểm tra, sửa trước khi gửi.</p>` : ''}
<p id="draft-note" class="notice" hidden></p>
${menu}
<p>Các mục có dấu <span class="req">(*)</span> là bắt buộc. Số có thể ghi 16075 hoặc 16.075. Số liệu đang nhập được lưu trên máy này, không mất khi mất mạng.</p>
<div id="summary" role="alert" tabindex="-1"></div>
<form id="nop" novalidate>
${p.model.indicators.length ? html`<fieldset id="muc-so-lieu"><legend>Số liệu</legend>${indicators}</fieldset>` : ''}
${tables}
${p.model.narratives.length ? html`<fieldset id="muc-noi-dung"><legend>Nội dung báo cáo</legend>${narratives}</fieldset>` : ''}
<div class="field-error" id="${errorId('')}" aria-live="polite"></div>
<div class="actions send-bar" id="muc-gui"><button type="submit" id="send">Gửi số liệu</button></div>
</form>
<div id="result" role="status" aria-live="polite" tabindex="-1"></div>
<section class="card" id="muc-tep"><h2>Hoặc tải lên tệp đã điền</h2>
<p><a href="/nop/${p.config.secret}/mau.xlsx" download>Tải mẫu Excel (.xlsx) của đơn vị</a>, điền rồi tải lên; hoặc tải lên tệp JSON theo định dạng quy định.</p>
<form id="file-upload" novalidate><label for="file">Tệp đã điền (.xlsx hoặc .json)</label>
<input id="file" name="file" type="file" accept=".xlsx,.json,application/json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-describedby="${errorId('file')}">
<div class="field-error" id="${errorId('file')}" aria-live="polite"></div>
<div class="actions"><button type="submit" class="secondary">Tải tệp lên</button></div></form></section>
<script type="application/json" id="form-config">${raw(config)}</script>
<script src="/assets/form.js" defer></script>`,
  );
}
