import type { Organization } from '../../config/schema';
import { vnDateTime } from '../../format/vietnam-time';
import { html, page } from '../../http/html';
import type { StoredOrganization } from './ports';

type ImageRef = { sha256: string; width: number; height: number; bytes: number; uploadedAt: string };
type ChainRef = { sha256: string; subject: string; issuer: string; notAfter: string };

const PROVIDER: Record<string, string> = { local: 'CA thử nghiệm cục bộ', kms: 'AWS KMS', remote: 'Dịch vụ ký số từ xa' };

function imageCell(src: string, ref: ImageRef | undefined, missing: string) {
  if (!ref) return html`<td>${missing}</td>`;
  return html`<td><img src="${src}" alt="" style="max-height:90px;max-width:240px;background:#fff"><br>
${ref.width}×${ref.height} điểm ảnh, ${Math.ceil(ref.bytes / 1024)} KB · SHA-256 <code>${ref.sha256.slice(0, 16)}…</code> · tải lên ${vnDateTime(new Date(ref.uploadedAt))}</td>`;
}

const chainCell = (ref: ChainRef | undefined, provider: string) =>
  ref
    ? html`<td>${ref.subject}<br>Cấp bởi: ${ref.issuer}<br>Hết hạn: ${vnDateTime(new Date(ref.notAfter))} · SHA-256 <code>${ref.sha256.slice(0, 16)}…</code></td>`
    : html`<td>${provider === 'kms' ? 'Chưa có (cần cho khóa KMS)' : 'Do dịch vụ ký số cung cấp'}</td>`;

/** The signing material (images through the operator route, never cached; certificate facts). */
function signingSection(org: Organization) {
  const cfg = org.signing;
  if (!cfg) return html`<h2>Ký số</h2><p>Tổ chức chưa khai báo ký số: văn bản được ban hành dạng .docx, không ký số.</p>`;
  const base = `/o/${encodeURIComponent(org.id)}/signing/material`;
  const samples = (p: string) => (p === 'local' ? 'Chưa có (dùng ảnh mẫu của CA thử nghiệm)' : 'Chưa có — cần tải lên trước khi trình ký');
  return html`<h2>Ký số</h2>
<p>Thay đổi bằng lệnh <code>baocao org signing put-image</code> / <code>put-chain</code>. Tệp được lưu mã hóa; cấu hình chỉ giữ dấu SHA-256.</p>
<table><thead><tr><th></th><th>Người có thẩm quyền: ${cfg.signer.name}</th><th>Cơ quan: ${org.agencyName}</th></tr></thead><tbody>
<tr><th>Dịch vụ ký số</th><td>${PROVIDER[cfg.signer.provider.provider]}</td><td>${PROVIDER[cfg.organization.provider.provider]}</td></tr>
<tr><th>Ảnh chữ ký / con dấu</th>${imageCell(`${base}/person/${encodeURIComponent(cfg.signer.id)}/image`, cfg.signer.image, samples(cfg.signer.provider.provider))}${imageCell(`${base}/organization/image`, cfg.organization.seal, samples(cfg.organization.provider.provider))}</tr>
<tr><th>Chứng thư số</th>${chainCell(cfg.signer.chain, cfg.signer.provider.provider)}${chainCell(cfg.organization.chain, cfg.organization.provider.provider)}</tr>
</tbody></table>
${Object.entries(cfg.signersByType).map(
  ([type, s]) => html`<h3>Người ký báo cáo loại “${type}”: ${s.name}</h3>
<table><tbody><tr><th>Dịch vụ ký số</th><td>${PROVIDER[s.provider.provider]}</td></tr>
<tr><th>Ảnh chữ ký</th>${imageCell(`${base}/person/${encodeURIComponent(s.id)}/image`, s.image, samples(s.provider.provider))}</tr>
<tr><th>Chứng thư số</th>${chainCell(s.chain, s.provider.provider)}</tr></tbody></table>`,
)}`;
}

const SIGN_KIND: Record<string, string> = { KT: 'Ký thay (KT.)', TL: 'Thừa lệnh (TL.)', TM: 'Thay mặt (TM.)', direct: 'Ký trực tiếp' };

/** The organization's configuration, read-only: it is changed with `baocao org put` or PUT /api/orgs/:org. */
export function organizationPage(rec: StoredOrganization, org: Organization) {
  return page(
    org.agencyName,
    html`<h1>Cấu hình tổ chức — ${org.agencyName}</h1>
<p>Mã tổ chức: <code>${org.id}</code> · phiên bản ${rec.version} · cập nhật ${vnDateTime(new Date(rec.updatedAt))} bởi ${rec.updatedBy}</p>
<p>Chỉ xem. Thay đổi cấu hình bằng lệnh <code>baocao org put &lt;tệp.json&gt;</code>; thay đổi có hiệu lực không cần triển khai lại.</p>
<table><tbody>
<tr><th>Cơ quan chủ quản</th><td>${org.parentBody}</td></tr>
<tr><th>Cơ quan</th><td>${org.agency}</td></tr>
<tr><th>Ký hiệu văn bản</th><td>${org.documentCode}</td></tr>
<tr><th>Địa danh</th><td>${org.place}</td></tr>
<tr><th>Kính gửi</th><td>${org.addressee}</td></tr>
<tr><th>Loại báo cáo</th><td>${org.reportTypes.join(', ')}</td></tr>
<tr><th>Người tổng hợp</th><td>${org.compilers.map((c) => html`${c.name} &lt;${c.email}&gt;<br>`)}</td></tr>
<tr><th>Khối chữ ký</th><td>${SIGN_KIND[org.signature.kind]} ${org.signature.authority ?? ''} — ${org.signature.title} ${org.signature.signer ?? ''}</td></tr>
</tbody></table>
<h2>Phòng, đơn vị</h2>
<table><thead><tr><th>Mã</th><th>Tên</th><th>Vai trò</th><th>Người liên hệ</th></tr></thead><tbody>
${org.divisions.map((d) => html`<tr><td>${d.id}</td><td>${d.name}</td><td>${d.roles.join(', ')}</td><td>${d.contacts.map((c) => c.email).join(', ')}</td></tr>`)}
</tbody></table>
<h2>Quy trình phê duyệt</h2>
<ol>${org.approvalChain.map((s) => html`<li>${s.role}: ${s.approvers.map((a) => a.email).join(', ')}</li>`)}</ol>
<h2>Nơi nhận</h2>
<ul>${org.recipients.map((r) => html`<li>${r.label}</li>`)}</ul>
${signingSection(org)}`,
  );
}

export function organizationListPage(orgs: Array<{ id: string; agencyName: string; version: number }>) {
  return page(
    'Tổ chức',
    html`<h1>Tổ chức</h1><ul>${orgs.map((o) => html`<li><a href="/orgs/${o.id}">${o.agencyName}</a> (phiên bản ${o.version})</li>`)}</ul>`,
  );
}
