import type { Organization } from '../../config/schema';
import { vnDateTime } from '../../format/vietnam-time';
import { html, page } from '../../http/html';
import type { StoredOrganization } from './ports';

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
<ul>${org.recipients.map((r) => html`<li>${r.label}</li>`)}</ul>`,
  );
}

export function organizationListPage(orgs: Array<{ id: string; agencyName: string; version: number }>) {
  return page(
    'Tổ chức',
    html`<h1>Tổ chức</h1><ul>${orgs.map((o) => html`<li><a href="/orgs/${o.id}">${o.agencyName}</a> (phiên bản ${o.version})</li>`)}</ul>`,
  );
}
