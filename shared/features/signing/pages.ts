import { html, page, type Raw } from '../../http/html';
import { problemPage } from '../../http/router';
import type { ReportSigning, SignatureSummary } from '../../ports';
import type { VerifiedSignature } from '../../signing/ports';
import { describeSignature, TEST_ONLY_NOTE } from './verification';

const PROBLEM: Record<string, string> = {
  unknown: 'Liên kết không hợp lệ. Vui lòng dùng đúng liên kết trong thư điện tử.',
  used: 'Liên kết này đã được dùng. Không có thay đổi nào.',
  expired: 'Liên kết đã hết hạn. Vui lòng báo bộ phận tổng hợp. Không có thay đổi nào.',
};

export function signingProblemPage(problem: string, status = 410) {
  return problemPage(PROBLEM[problem] ?? problem, status);
}

/** Who signed, with which certificate, when, and (when checked now) whether the file is intact. */
export function signaturesList(signatures: Array<VerifiedSignature | SignatureSummary>): Raw {
  const items = signatures.map((s) => {
    const d = describeSignature(s);
    return html`<li><b>${d.who}</b><br>Chứng thư: ${d.certificate}<br>Thời điểm ký: ${d.when}${
      d.state === undefined ? '' : html`<br>Tình trạng: <b>${d.state}</b>`
    }${d.testOnly ? html`<br><span class="alert-err">${TEST_ONLY_NOTE}</span>` : ''}</li>`;
  });
  return html`<ul class="signatures">${items}</ul>`;
}

/** The văn thư's page: the document, the person's verified signature, and the one button. */
export function sealPage(p: {
  subject: string;
  documentNumber: string;
  signatures: VerifiedSignature[];
  pdfUrl: string;
  expiresAt: string;
  error?: string;
  status?: number;
  /** A request waits on the organization's device (a remote provider): the button collects it. */
  pending?: boolean;
}) {
  return page(
    'Ký số của cơ quan',
    html`<h1>Ký số của cơ quan và phát hành</h1>
<p>Báo cáo <b>${p.subject}</b>, ${p.documentNumber}.</p>
${p.error ? html`<p class="alert alert-err" role="alert">${p.error}</p>` : ''}
${
  p.pending
    ? html`<p class="alert alert-ok" role="status">Yêu cầu ký số đã được gửi tới thiết bị ký số của cơ quan. Sau khi xác nhận trên thiết bị, bấm “Hoàn tất ký số và phát hành”.</p>`
    : ''
}
<h2>Chữ ký của người có thẩm quyền</h2>
${signaturesList(p.signatures)}
<p><a href="${p.pdfUrl}">Xem tệp PDF đã ký</a></p>
<form method="post" class="box">
<p><input type="submit" value="${p.pending ? 'Hoàn tất ký số và phát hành' : 'Ký số của cơ quan và phát hành'}"></p>
</form>
<p>Liên kết dùng một lần, hết hạn lúc ${describeExpiry(p.expiresAt)}.</p>`,
    p.status ?? (p.error ? 409 : 200),
  );
}

const describeExpiry = (iso: string) =>
  describeSignature({ signerName: '', issuer: '', serialNumber: '', signedAt: iso, testOnly: false }).when;

export function sealedPage(documentNumber: string) {
  return page(
    'Đã phát hành',
    html`<h1>Đã ký số của cơ quan</h1><p class="alert alert-ok" role="status">Văn bản ${documentNumber} mang đủ hai chữ ký số hợp lệ và được phát hành. Hệ thống sẽ gửi văn bản tới nơi nhận.</p>`,
  );
}

/** The compiler's choice for a stalled signing. */
export function retryPage(p: { subject: string; documentNumber: string; reason: string; error?: string }) {
  return page(
    'Ký số chưa xong',
    html`<h1>Ký số chưa xong</h1>
<p>Báo cáo <b>${p.subject}</b>, ${p.documentNumber}: ${p.reason}</p>
${p.error ? html`<p class="alert alert-err" role="alert">${p.error}</p>` : ''}
<form method="post" class="box">
<label for="comment">Ghi chú (khi dừng)</label>
<input id="comment" name="comment">
<p><button type="submit" name="action" value="retry">Thử ký lại</button>
<button type="submit" name="action" value="stop">Dừng báo cáo</button></p>
</form>
<p>Khi ký lại, số văn bản đã cấp được giữ nguyên.</p>`,
    p.error ? 409 : 200,
  );
}

export function retryDonePage(action: 'retry' | 'stop') {
  return page(
    'Đã ghi nhận',
    html`<h1>Đã ghi nhận</h1><p class="alert alert-ok" role="status">${
      action === 'retry' ? 'Hệ thống đã gửi lại yêu cầu ký tới người có thẩm quyền.' : 'Báo cáo đã dừng ở bước ký số.'
    }</p>`,
  );
}

/** One line for the compiler's report page: where the signed original stands (empty when the report is not being signed). */
export function signingStatus(r: { status: string; signing?: ReportSigning }): Raw | '' {
  const s = r.signing;
  if (!s || r.status !== 'awaiting_approval') return '';
  const text = s.signedPdfSha256
    ? 'Đã đủ hai chữ ký số; đang phát hành.'
    : s.signer.phase === 'signed'
      ? `Người có thẩm quyền đã ký số (${s.signedBy?.signerName ?? ''}); chờ văn thư ký số của cơ quan${s.seal ? `, hạn ${describeExpiry(s.seal.deadline)}` : ''}.`
      : s.signer.phase === 'stalled'
        ? 'Ký số chưa xong: đã gửi thư để bộ phận tổng hợp chọn "Thử ký lại" hoặc dừng.'
        : `Chờ người có thẩm quyền xác nhận ký số trên thiết bị (yêu cầu lần ${s.signer.attempt}).`;
  return html`<div class="card"><p><b>Ký số:</b> ${text}</p></div>`;
}
