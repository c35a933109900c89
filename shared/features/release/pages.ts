import { formatDocumentNumber } from '../../format/vi';
import { vietnamWallClock, vnDateTime } from '../../format/vietnam-time';
import { html, page } from '../../http/html';
import { problemPage } from '../../http/router';
import type { VerifiedSignature } from '../../signing/ports';
import { signaturesList } from '../signing/pages';
import { signatureProblem } from '../signing/verification';

const CLERK_PROBLEM: Record<string, string> = {
  unknown: 'Liên kết cấp số không hợp lệ. Vui lòng dùng đúng liên kết trong thư điện tử.',
  used: 'Liên kết này đã được dùng: số văn bản đã được ghi vào sổ. Không có thay đổi nào.',
  expired: 'Liên kết cấp số đã hết hạn. Vui lòng báo bộ phận tổng hợp để gửi lại. Không có thay đổi nào.',
};

export function clerkProblemPage(problem: string, status = 410) {
  return problemPage(CLERK_PROBLEM[problem] ?? problem, status);
}

const today = (now: Date) => {
  const d = vietnamWallClock(now);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
};

/** The clerk of records enters the number (the next free one suggested) and the issue date. */
export function clerkNumberPage(p: {
  secret: string;
  subject: string;
  documentCode: string;
  year: number;
  suggested: number;
  now: Date;
  expiresAt: string;
  error?: string;
  /** 409 when the number is taken, 400 for a malformed entry. */
  errorStatus?: number;
  number?: string;
  issueDate?: string;
}) {
  return page(
    'Cấp số văn bản',
    html`<h1>Cấp số văn bản đi</h1>
<p>Báo cáo <b>${p.subject}</b> đã được phê duyệt. Ghi số theo sổ văn bản đi năm ${p.year} của cơ quan.</p>
${p.error ? html`<p class="err" role="alert">${p.error}</p>` : ''}
<form method="post" class="box">
<label for="number">Số văn bản (số trống tiếp theo: ${formatDocumentNumber(p.suggested, p.documentCode).replace(/^Số: /, '')})</label>
<input id="number" name="number" inputmode="numeric" required value="${p.number ?? String(p.suggested)}">
<label for="issueDate">Ngày ban hành (ngày/tháng/năm)</label>
<input id="issueDate" name="issueDate" required value="${p.issueDate ?? today(p.now)}">
<p><input type="submit" value="Ghi số và ban hành"></p>
</form>
<p>Liên kết dùng một lần, hết hạn lúc ${vnDateTime(p.expiresAt)}.</p>`,
    p.error ? (p.errorStatus ?? 400) : 200,
  );
}

export function numberEnteredPage(documentNumber: string) {
  return page(
    'Đã ghi số',
    html`<h1>Đã ghi số văn bản</h1><p class="ok">Báo cáo được ban hành với ${documentNumber}. Hệ thống sẽ gửi báo cáo tới nơi nhận.</p>`,
  );
}

/** A recipient's page for the signed original: who signed, with which certificate, when, intact or not; then the files. */
export function signedDownloadPage(p: {
  subject: string;
  fileName: string;
  signatures: VerifiedSignature[];
  pdfUrl: string;
  docxUrl?: string;
}) {
  const valid = p.signatures.length > 0 && p.signatures.every((s) => !signatureProblem(s));
  return page(
    'Văn bản điện tử đã ký số',
    html`<h1>Báo cáo ${p.subject}</h1>
${
  valid
    ? html`<p class="alert alert-ok" role="status">Tệp còn nguyên vẹn: ${p.signatures.length} chữ ký số đều hợp lệ.</p>`
    : html`<p class="alert alert-err" role="alert">Cảnh báo: chữ ký số của tệp không hợp lệ. Không dùng tệp này làm bản gốc.</p>`
}
<h2>Chữ ký số</h2>
${signaturesList(p.signatures)}
<p><a href="${p.pdfUrl}">Tải văn bản đã ký số (${p.fileName})</a></p>
${p.docxUrl ? html`<p><a href="${p.docxUrl}">Tải bản .docx để chỉnh sửa (không có chữ ký số)</a></p>` : ''}`,
  );
}
