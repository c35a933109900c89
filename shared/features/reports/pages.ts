import type { Organization } from '../../config/schema';
import { bareDocumentNumber, draftName, periodName } from '../../format/period-name';
import { vnDateTime } from '../../format/vietnam-time';
import { html, page, type Shell } from '../../http/html';
import type { ReportRecord, StoredSubmission } from '../../ports';
import { statusBadge } from './progress';

/** Reports that hold their period: a new compile must supersede them. */
const LIVE_STATUSES = ['compiling', 'editing', 'awaiting_approval', 'returned', 'released'];

export { auditCsv, reportPage } from './report-page';

/** What a quarter still lacks: division names per quarter (empty when complete). */
export interface Gap {
  quarter: string;
  divisions: string[];
}

export function gapOf(organization: Organization, quarters: string[], submissions: StoredSubmission[]): Gap[] {
  return quarters
    .map((q) => ({
      quarter: q,
      divisions: organization.divisions
        .filter((d) => !submissions.some((s) => s.periodId === q && s.divisionId === d.id))
        .map((d) => d.name),
    }))
    .filter((g) => g.divisions.length > 0);
}

/** "Quý I/2021: Phòng A, Phòng B; Quý II/2021: …" */
export function gapText(gaps: Gap[]): string {
  return gaps.map((g) => `${periodName(g.quarter)}: ${g.divisions.join(', ')}`).join('; ');
}

function reportLine(r: ReportRecord) {
  const draft = r.drafts.at(-1);
  return html`<li><a href="/reports/${encodeURIComponent(r.reportId)}">Báo cáo ${periodName(r.periodId)}</a> ${statusBadge(r.status)}
<span class="muted">— tạo lúc ${vnDateTime(r.createdAt)}${draft ? `, ${draftName(draft.version).toLowerCase()}` : ''}${r.release ? `, số ${bareDocumentNumber(r.release.documentNumber)}` : ''}</span></li>`;
}

/** The organization's report types, the one shown first; `query` keeps the shown one on every link ("?type=kstt"). */
export interface ReportTypeChoice {
  current: { id: string; name: string };
  all: Array<{ id: string; name: string }>;
  query: string;
}

/** Links to the same page for the organization's other report types (none when it compiles one). */
function otherTypes(t: ReportTypeChoice | undefined, href: (query: string) => string) {
  if (!t || t.all.length < 2) return '';
  return html`<nav class="card" aria-label="Loại báo cáo"><p><b>Loại báo cáo:</b> ${t.all.map((x) =>
    x.id === t.current.id ? html`<span class="badge badge-ok">${x.name}</span> ` : html`<a href="${href(`?type=${x.id}`)}">${x.name}</a> `,
  )}</p></nav>`;
}

export function homePage(p: {
  organization: Organization;
  periods: string[];
  reports?: ReportRecord[];
  local: boolean;
  user?: string;
  /** No year has data yet: the local system offers the sample year. */
  empty?: boolean;
  reportTypes?: ReportTypeChoice;
}) {
  const shell: Shell = { organization: p.organization, user: p.user, current: 'home' };
  if (!shell.user)
    return page(
      'Trang chủ',
      html`<h1>Hệ thống báo cáo định kỳ</h1>
<div class="card"><p>Các phòng, đơn vị nộp số liệu qua biểu mẫu; hệ thống kiểm tra, tổng hợp, dựng dự thảo báo cáo theo Nghị định 30/2020/NĐ-CP, trình lãnh đạo phê duyệt qua thư điện tử và ban hành.</p>
<p>Các phòng, đơn vị và lãnh đạo truy cập hệ thống qua liên kết được gửi trong thư điện tử.</p>
<p><a class="btn" href="/signin">Văn phòng đăng nhập</a></p></div>`,
      200,
      shell,
    );
  const years = [...new Set(p.periods.map((id) => id.slice(0, 4)))];
  const q = p.reportTypes?.query ?? '';
  const reports = [...(p.reports ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 20);
  return page(
    'Trang chủ',
    html`<h1>${p.organization.agencyName}: báo cáo định kỳ</h1>
<p>Các phòng, đơn vị nộp số liệu qua biểu mẫu; hệ thống kiểm tra, tổng hợp, dựng dự thảo báo cáo theo Nghị định 30/2020/NĐ-CP, trình lãnh đạo phê duyệt qua thư điện tử và ban hành.</p>
${
  p.local && p.empty
    ? html`<form method="post" action="/_local/sample" class="card" id="du-lieu-mau"><h2>Bắt đầu với dữ liệu mẫu</h2>
<p>Hệ thống chưa có dữ liệu. Nạp số liệu mẫu năm 2021 của ${String(p.organization.divisions.length)} đơn vị (4 quý) qua đúng đường nộp số liệu, rồi tổng hợp báo cáo năm 2021: đồng chí sẽ thấy ngay tình hình nộp, dự thảo và các bước phê duyệt (thư xin ý kiến trong hộp thư cục bộ).</p>
<div class="actions"><button type="submit">Nạp dữ liệu mẫu năm 2021</button></div></form>`
    : ''
}
${otherTypes(p.reportTypes, (query) => `/${query}`)}
<h2 id="ky-bao-cao">Kỳ báo cáo${p.reportTypes && p.reportTypes.all.length > 1 ? `: ${p.reportTypes.current.name}` : ''}</h2>
${years.map(
  (y) =>
    html`<div class="card"><h3>Năm ${y}</h3><ul>${p.periods
      .filter((id) => id.startsWith(y))
      .map((id) => html`<li><a href="/periods/${id}${q}">${periodName(id)}</a></li>`)}</ul></div>`,
)}
<h2 id="bao-cao">Báo cáo gần đây</h2>
${reports.length ? html`<ul>${reports.map(reportLine)}</ul>` : html`<p class="muted">Chưa có báo cáo nào.</p>`}`,
    200,
    shell,
  );
}

export function periodPage(p: {
  organization: Organization;
  periodId: string;
  /** The quarters the period is built from (each has its completeness dashboard). */
  quarters: string[];
  submissions: StoredSubmission[];
  reports: ReportRecord[];
  user?: string;
  /** Set when a compile was refused for want of confirmation: the message, and what was typed. */
  compileError?: string;
  reason?: string;
  reportTypes?: ReportTypeChoice;
}) {
  const name = periodName(p.periodId);
  const q = p.reportTypes?.query ?? '';
  const rows = p.organization.divisions.map((d) => {
    const cells = p.quarters.map((q) => {
      const s = p.submissions.find((x) => x.divisionId === d.id && x.periodId === q);
      return html`<td data-label="${periodName(q)}">${s ? html`<span class="badge badge-ok">Đã nộp</span> <span class="muted">lần ${s.version}</span>` : html`<span class="badge badge-err">Chưa nộp</span>`}</td>`;
    });
    return html`<tr><th scope="row">${d.name}</th>${cells}</tr>`;
  });
  const gaps = gapOf(p.organization, p.quarters, p.submissions);
  const missing = gaps.reduce((n, g) => n + g.divisions.length, 0);
  const total = p.organization.divisions.length * p.quarters.length;
  // One active report per period: compiling again replaces the live one, only when asked to.
  const live = p.reports.some((r) => LIVE_STATUSES.includes(r.status));
  const supersede = live
    ? html`<label class="check"><input type="checkbox" name="supersede" value="true"> Thay thế báo cáo hiện có của kỳ này (báo cáo cũ dừng lại, các liên kết cũ hết hiệu lực)</label>`
    : '';
  // The editing desk: the compiler shapes the narrative before each draft goes to the approvers.
  const desk = html`<label class="check"><input type="checkbox" name="desk" value="1" checked> Biên tập nội dung (sắp xếp, sửa, gộp, bỏ ý) trước khi gửi phê duyệt</label>`;
  const compile = gaps.length
    ? html`<form method="post" action="/periods/${p.periodId}/compile${q}" class="card" id="tong-hop">
<div class="alert alert-warn"><p><b>Số liệu chưa đủ: còn thiếu ${missing}/${total} lượt nộp.</b></p>
<ul>${gaps.map((g) => html`<li>${periodName(g.quarter)}: ${g.divisions.join(', ')}</li>`)}</ul>
<p>Nếu tổng hợp bây giờ, dự thảo, thư xin ý kiến và trang phê duyệt sẽ ghi rõ phần còn thiếu.</p></div>
${p.compileError ? html`<p class="alert alert-err" role="alert" id="compile-error">${p.compileError}</p>` : ''}
<label class="check"><input type="checkbox" name="confirm" value="1" required> Tôi xác nhận tổng hợp khi số liệu còn thiếu</label>
<label for="reason">Lý do tổng hợp khi còn thiếu <span class="req">(*)</span></label>
<textarea id="reason" name="reason" required${p.compileError ? html` aria-invalid="true" aria-describedby="compile-error"` : ''}>${p.reason ?? ''}</textarea>
${supersede}${desk}
<div class="actions"><button type="submit" class="danger">Tổng hợp khi còn thiếu</button></div></form>`
    : html`<form method="post" action="/periods/${p.periodId}/compile${q}" class="card" id="tong-hop"><p class="alert alert-ok">Đã đủ số liệu của tất cả đơn vị.</p>
${supersede}${desk}
<div class="actions"><button type="submit">Tổng hợp và dựng dự thảo</button></div></form>`;
  return page(
    `Kỳ ${name}`,
    html`<h1>Kỳ báo cáo ${name}</h1>
${p.reportTypes && p.reportTypes.all.length > 1 ? html`<p class="lead">${p.reportTypes.current.name}</p>` : ''}
${otherTypes(p.reportTypes, (query) => `/periods/${p.periodId}${query}`)}
<h2>Tình hình nộp số liệu</h2>
<p>Theo dõi, nhắc nộp, mở lại từng quý: ${p.quarters.map((quarter) => html`<a class="btn btn-secondary" href="/periods/${quarter}/completeness${q}">${periodName(quarter)}</a> `)}</p>
<table class="stack"><thead><tr><th scope="col">Đơn vị</th>${p.quarters.map((q) => html`<th scope="col">${periodName(q)}</th>`)}</tr></thead><tbody>${rows}</tbody></table>
<h2>Báo cáo của kỳ</h2>
${p.reports.length ? html`<ul>${p.reports.map(reportLine)}</ul>` : html`<p class="muted">Chưa có báo cáo nào cho kỳ này.</p>`}
<h2>Tổng hợp</h2>${compile}`,
    p.compileError ? 400 : 200,
    { organization: p.organization, user: p.user, current: 'periods', crumbs: [['Kỳ báo cáo', '/#ky-bao-cao'], [name]] },
  );
}
