import type { Organization } from '../../../config/schema';
import { html, page, raw } from '../../../http/html';

/**
 * The compiler's generic upload form (any division, any quarter). Its script is the same
 * browser bundle as the invite form (/assets/form.js): presigned POST, then poll the outcome.
 */
export function formPage(p: { organization: Organization; division?: string; period?: string }) {
  const options = p.organization.divisions.map(
    (d) => html`<option value="${d.id}"${raw(d.id === p.division ? ' selected' : '')}>${d.name}</option>`,
  );
  return page(
    'Nộp số liệu',
    html`<h1>Nộp số liệu báo cáo</h1>
<form id="upload" class="box">
<label for="division">Đơn vị</label><select id="division" name="division" required>${options}</select>
<label for="period">Kỳ (quý)</label><input id="period" name="period" required pattern="\\d{4}-Q[1-4]" placeholder="2021-Q1" value="${p.period ?? ''}">
<label for="file">Tệp số liệu (.json)</label><input id="file" name="file" type="file" accept="application/json,.json" required>
<p><button type="submit">Gửi</button></p>
</form>
<div id="result" role="status" aria-live="polite"></div>
<script src="/assets/form.js" defer></script>`,
  );
}
