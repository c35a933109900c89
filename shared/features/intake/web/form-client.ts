/**
 * Browser side of the invite form, bundled by esbuild (see asset.ts): collects the form into a
 * submission, validates it with the same validateSubmission as ingest, keeps a draft in
 * localStorage, uploads by presigned POST straight to S3 and shows the outcome next to each field.
 */
import type { Organization } from '../../../config/schema';
import { type Issue, type Submission, validateSubmission } from '../../../domain/submission';
import type { ReportTemplate } from '../../../domain/template';
import { xlsxPlace } from '../xlsx-layout';
import { confirmId, errorId, type FormConfig, inputId } from './ids';
import { listFileIssues, showReceipt } from './receipt-view';
import { presignedUpload, type UploadOutcomeRecord } from './upload-client';

type Cell = string | number | null;
type Rows = Record<string, Array<Record<string, Cell>>>;

const config = JSON.parse(document.getElementById('form-config')!.textContent!) as FormConfig;
const template = config.template as ReportTemplate;
const organization = config.organization as Organization;
const form = document.getElementById('nop') as HTMLFormElement;
const fileForm = document.getElementById('file-upload') as HTMLFormElement;
const summary = document.getElementById('summary')!;
const result = document.getElementById('result')!;
const byId = (id: string) => document.getElementById(id);

/** Table rows as typed, per table. */
const rows: Rows = {};
/** Comments typed for warnings, by rule. */
const confirmations: Record<string, string> = {};

// ---- tables -------------------------------------------------------------------------------

function renderTable(tableId: string) {
  const t = config.model.tables.find((x) => x.id === tableId)!;
  const tbody = document.querySelector(`table[data-table="${tableId}"] tbody`)!;
  tbody.textContent = '';
  rows[tableId].forEach((row, i) => {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = String(i + 1);
    tr.append(th);
    for (const c of t.columns) {
      const field = `tables.${tableId}[${i}].${c.id}`;
      const td = document.createElement('td');
      // On a phone the table is a stack of cards: each cell names its column.
      td.dataset.label = c.label + (c.required ? ' (*)' : '');
      const input = document.createElement('input');
      input.id = inputId(field);
      input.dataset.table = tableId;
      input.dataset.row = String(i);
      input.dataset.col = c.id;
      input.autocomplete = 'off';
      if (c.type === 'integer') input.inputMode = 'numeric';
      input.value = row[c.id] === null || row[c.id] === undefined ? '' : String(row[c.id]);
      input.setAttribute('aria-label', `${c.label}, dòng ${i + 1}`);
      input.setAttribute('aria-describedby', errorId(field));
      const err = document.createElement('div');
      err.className = 'field-error';
      err.id = errorId(field);
      err.setAttribute('aria-live', 'polite');
      td.append(input, err);
      tr.append(td);
    }
    const td = document.createElement('td');
    const del = document.createElement('button');
    del.type = 'button';
    del.textContent = 'Xóa dòng';
    del.setAttribute('aria-label', `Xóa dòng ${i + 1} của bảng ${t.label}`);
    del.addEventListener('click', () => {
      rows[tableId].splice(i, 1);
      renderTable(tableId);
      saveDraft();
      (document.querySelector(`[data-add="${tableId}"]`) as HTMLElement).focus();
    });
    td.append(del);
    tr.append(td);
    tbody.append(tr);
  });
}

function emptyRow(tableId: string): Record<string, Cell> {
  const t = config.model.tables.find((x) => x.id === tableId)!;
  return Object.fromEntries(t.columns.map((c) => [c.id, null]));
}

for (const b of document.querySelectorAll<HTMLButtonElement>('[data-add]')) {
  b.addEventListener('click', () => {
    const id = b.dataset.add!;
    rows[id].push(emptyRow(id));
    renderTable(id);
    saveDraft();
    const t = config.model.tables.find((x) => x.id === id)!;
    byId(inputId(`tables.${id}[${rows[id].length - 1}].${t.columns[0].id}`))?.focus();
  });
}

form.addEventListener('input', (e) => {
  const el = e.target as HTMLInputElement;
  if (el.dataset.table) {
    const v = el.value;
    rows[el.dataset.table][Number(el.dataset.row)][el.dataset.col!] = v.trim() === '' ? null : v;
  } else if (el.dataset.rule) {
    confirmations[el.dataset.rule] = el.value;
  }
  saveDraft();
});

// ---- the submission -------------------------------------------------------------------------

function collect(): Record<string, unknown> {
  const indicators: Record<string, string> = {};
  for (const i of config.model.indicators) {
    const v = (byId(inputId(`indicators.${i.id}`)) as HTMLInputElement).value.trim();
    if (v !== '') indicators[i.id] = v;
  }
  const tables: Rows = {};
  for (const t of config.model.tables) {
    const filled = rows[t.id].filter((r) => Object.values(r).some((v) => v !== null && String(v).trim() !== ''));
    if (filled.length || (config.prefill?.tables[t.id]?.length ?? 0) > 0) tables[t.id] = filled;
  }
  const narratives: Record<string, string[]> = {};
  for (const n of config.model.narratives) {
    const text = (byId(inputId(`narratives.${n.id}`)) as HTMLTextAreaElement).value;
    narratives[n.id] = text
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
  }
  const conf = Object.fromEntries(Object.entries(confirmations).filter(([, v]) => v.trim() !== ''));
  return {
    schemaVersion: 1,
    templateId: template.id,
    division: config.divisionId,
    period: config.periodId,
    indicators,
    tables,
    narratives,
    ...(Object.keys(conf).length ? { confirmations: conf } : {}),
  };
}

// ---- drafts (no typing lost to a network error or a closed tab) --------------------------------

function saveDraft() {
  try {
    const indicators: Record<string, string> = {};
    for (const i of config.model.indicators) indicators[i.id] = (byId(inputId(`indicators.${i.id}`)) as HTMLInputElement).value;
    const narratives: Record<string, string> = {};
    for (const n of config.model.narratives) narratives[n.id] = (byId(inputId(`narratives.${n.id}`)) as HTMLTextAreaElement).value;
    localStorage.setItem(
      config.draftKey,
      JSON.stringify({ savedAt: new Date().toISOString(), indicators, tables: rows, narratives, confirmations }),
    );
  } catch {
    /* storage full or disabled: the form still works */
  }
}

function restoreDraft(): boolean {
  let draft: {
    savedAt: string;
    indicators: Record<string, string>;
    tables: Rows;
    narratives: Record<string, string>;
    confirmations?: Record<string, string>;
  };
  try {
    const text = localStorage.getItem(config.draftKey);
    if (!text) return false;
    draft = JSON.parse(text);
  } catch {
    return false;
  }
  for (const [id, v] of Object.entries(draft.indicators ?? {})) {
    const el = byId(inputId(`indicators.${id}`)) as HTMLInputElement | null;
    if (el) el.value = v;
  }
  for (const [id, v] of Object.entries(draft.narratives ?? {})) {
    const el = byId(inputId(`narratives.${id}`)) as HTMLTextAreaElement | null;
    if (el) el.value = v;
  }
  for (const t of config.model.tables) if (Array.isArray(draft.tables?.[t.id])) rows[t.id] = draft.tables[t.id];
  Object.assign(confirmations, draft.confirmations ?? {});
  const note = byId('draft-note')!;
  note.textContent = `Đã khôi phục số liệu đang nhập dở (lưu trên máy này lúc ${new Date(draft.savedAt).toLocaleString('vi-VN')}).`;
  note.hidden = false;
  return true;
}

// ---- messages next to fields ----------------------------------------------------------------

function clearMessages() {
  summary.textContent = '';
  for (const e of document.querySelectorAll('.field-error')) e.textContent = '';
  for (const e of document.querySelectorAll('[aria-invalid]')) e.removeAttribute('aria-invalid');
}

/** The slot nearest to a field: the cell, else its table, else the form-wide slot. */
function slotFor(field: string): HTMLElement {
  const direct = byId(errorId(field));
  if (direct) return direct;
  const table = /^tables\.([A-Za-z0-9_]+)/.exec(field);
  if (table && byId(errorId(`tables.${table[1]}`))) return byId(errorId(`tables.${table[1]}`))!;
  if (field === 'file' && byId(errorId('file'))) return byId(errorId('file'))!;
  return byId(errorId(''))!;
}

/** One message per field: the first error (else the first warning) of each field. */
function onePerField(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    if (seen.has(i.field)) return false;
    seen.add(i.field);
    return true;
  });
}

function showIssues(allErrors: Issue[], allWarnings: Issue[], where: 'form' | 'xlsx' | 'json' = 'form') {
  clearMessages();
  const errors = onePerField(allErrors);
  const errorFields = new Set(errors.map((e) => e.field));
  const warnings = onePerField(allWarnings.filter((w) => !errorFields.has(w.field)));
  if (where !== 'form') {
    // The file's values are not the ones on screen: list the errors by sheet and cell under the upload.
    listFileIssues(slotFor('file'), [...errors, ...warnings], (f) => (where === 'xlsx' ? xlsxPlace(config.model, f) : undefined));
    byId('file')?.setAttribute('aria-invalid', String(errors.length > 0));
    return;
  }
  for (const issue of [...errors, ...warnings]) {
    const slot = slotFor(issue.field);
    const p = document.createElement('p');
    p.className = issue.severity === 'error' ? 'err' : 'warn';
    p.textContent = `${issue.severity === 'error' ? 'Lỗi' : 'Cảnh báo'}: ${issue.message}`;
    slot.append(p);
    for (const f of issue.fields ?? [issue.field]) byId(inputId(f))?.setAttribute('aria-invalid', 'true');
    if (issue.severity === 'warning') {
      const id = confirmId(issue.rule);
      if (!byId(id)) {
        const label = document.createElement('label');
        label.htmlFor = id;
        label.textContent = 'Giải trình (nếu số liệu đúng), rồi bấm “Gửi số liệu” lại:';
        const box = document.createElement('textarea');
        box.id = id;
        box.dataset.rule = issue.rule;
        box.rows = 2;
        box.value = confirmations[issue.rule] ?? issue.confirmation ?? '';
        box.addEventListener('input', () => {
          confirmations[issue.rule] = box.value;
          saveDraft();
        });
        slot.append(label, box);
      }
    }
  }
  if (errors.length) {
    const h = document.createElement('p');
    h.textContent = `Còn ${errors.length} lỗi cần sửa:`;
    const ul = document.createElement('ul');
    for (const e of errors) {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = `#${inputId(e.field)}`;
      a.textContent = `${e.label}: ${e.message}`;
      a.addEventListener('click', (ev) => {
        const target = byId(inputId(e.field)) ?? slotFor(e.field);
        if (target) {
          ev.preventDefault();
          target.focus();
        }
      });
      li.append(a);
      ul.append(li);
    }
    summary.append(h, ul);
    summary.focus();
  }
}

/** Checks on leaving a field: the fields touched so far show their (single) message. */
const touched = new Set<string>();
function checkTouched() {
  const check = validateSubmission(template, collect(), {
    organization,
    expectedDivision: config.divisionId,
    expectedPeriod: config.periodId,
    history: config.history as Submission[],
  });
  const mine = (i: Issue) => touched.has(i.field);
  for (const f of touched) {
    const slot = byId(errorId(f));
    if (slot) slot.textContent = '';
    byId(inputId(f))?.removeAttribute('aria-invalid');
  }
  for (const issue of onePerField(check.errors.filter(mine))) {
    const slot = byId(errorId(issue.field));
    if (!slot) continue;
    const p = document.createElement('p');
    p.className = 'err';
    p.textContent = `Lỗi: ${issue.message}`;
    slot.append(p);
    byId(inputId(issue.field))?.setAttribute('aria-invalid', 'true');
  }
}
form.addEventListener('focusout', (e) => {
  const el = e.target as HTMLInputElement;
  const field = el.dataset.field ?? (el.dataset.table ? `tables.${el.dataset.table}[${el.dataset.row}].${el.dataset.col}` : undefined);
  if (!field || el.value.trim() === '') return; // an empty field is only "missing" at submit time
  touched.add(field);
  checkTouched();
});

function setResult(cls: string, text: string) {
  result.className = `box ${cls}`;
  result.textContent = text;
}

// ---- upload ---------------------------------------------------------------------------------

type UploadRecord = UploadOutcomeRecord;

async function upload(body: Blob, kind: 'json' | 'xlsx', fileName: string): Promise<UploadRecord | undefined> {
  const res = await presignedUpload({
    presign: { url: `/nop/${config.secret}/upload`, body: { kind } },
    statusUrl: (key) => `/nop/${config.secret}/status?key=${encodeURIComponent(key)}`,
    file: body,
    fileName,
    attempts: 120,
    onSent: () => setResult('', 'Đã gửi; hệ thống đang kiểm tra…'),
    onProcessing: (message) => setResult('', message),
  });
  if (res.ok) return res.record;
  if (res.stage === 'presign') setResult('err', res.message ?? 'Không tạo được liên kết tải lên.');
  else if (res.stage === 'send')
    setResult('err', `Tải tệp lên không thành công (mã ${res.status}). Số liệu vẫn được giữ trên máy này; hãy thử gửi lại.`);
  else setResult('err', res.message ?? 'Hệ thống chưa trả kết quả; vui lòng tải lại trang sau ít phút.');
  return undefined;
}

function showOutcome(rec: UploadRecord, where: 'form' | 'xlsx' | 'json' = 'form') {
  showIssues(rec.errors, rec.warnings, where);
  if (rec.status === 'accepted') {
    const open = rec.warnings.filter((w) => !w.confirmation).length;
    setResult(
      open ? 'warn' : 'ok',
      open
        ? `Đã tiếp nhận, có cảnh báo (lần nộp thứ ${rec.version}). Xem cảnh báo cạnh từng mục; nếu số liệu đúng, ghi giải trình và gửi lại.`
        : `Đã tiếp nhận (lần nộp thứ ${rec.version}). Cảm ơn đồng chí.`,
    );
    showReceipt(byId('receipt'), rec);
    try {
      if (!open) localStorage.removeItem(config.draftKey);
    } catch {
      /* ignore */
    }
  } else {
    setResult('err', `Bị từ chối: ${rec.errors.length} lỗi, xem cạnh từng mục. Số liệu đang nhập vẫn được giữ.`);
  }
  if (rec.status !== 'accepted' || byId('receipt')?.hidden) result.focus();
}

async function guarded(work: () => Promise<void>) {
  const buttons = document.querySelectorAll<HTMLButtonElement>('button[type=submit]');
  for (const b of buttons) b.disabled = true;
  try {
    await work();
  } catch (err) {
    setResult('err', `Lỗi mạng: ${(err as Error).message}. Số liệu đang nhập vẫn được lưu trên máy này; hãy thử gửi lại.`);
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  void guarded(async () => {
    saveDraft();
    const raw = collect();
    const check = validateSubmission(template, raw, {
      organization,
      expectedDivision: config.divisionId,
      expectedPeriod: config.periodId,
      history: config.history as Submission[],
    });
    if (!check.ok) {
      showIssues(check.errors, check.warnings);
      setResult('err', `Chưa gửi: còn ${check.errors.length} lỗi, xem cạnh từng mục.`);
      return;
    }
    clearMessages();
    const rec = await upload(new Blob([JSON.stringify(raw)], { type: 'application/json' }), 'json', 'so-lieu.json');
    if (rec) showOutcome(rec);
  });
});

fileForm.addEventListener('submit', (e) => {
  e.preventDefault();
  void guarded(async () => {
    const file = (byId('file') as HTMLInputElement).files?.[0];
    clearMessages();
    if (!file) {
      slotFor('file').textContent = 'Chưa chọn tệp.';
      return;
    }
    const kind = /\.xlsx$/i.test(file.name) ? 'xlsx' : /\.json$/i.test(file.name) ? 'json' : undefined;
    if (!kind) {
      slotFor('file').textContent = 'Chỉ nhận tệp .xlsx (mẫu Excel) hoặc .json.';
      return;
    }
    const type = kind === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'application/json';
    const rec = await upload(new Blob([await file.arrayBuffer()], { type }), kind, file.name);
    if (rec) showOutcome(rec, kind);
  });
});

// ---- start ----------------------------------------------------------------------------------

for (const t of config.model.tables)
  rows[t.id] = (config.prefill?.tables[t.id] ?? []).map((r) => ({ ...emptyRow(t.id), ...(r as Record<string, Cell>) }));
restoreDraft();
for (const t of config.model.tables) {
  if (rows[t.id].length === 0) rows[t.id].push(emptyRow(t.id));
  renderTable(t.id);
}
document.documentElement.dataset.ready = '1';
