/** The compiler's generic upload form (/form): one JSON file for any division and quarter. */
import { presignedUpload } from './upload-client';

export function startOperatorUpload(form: HTMLFormElement) {
  const out = document.getElementById('result')!;
  const show = (cls: string, text: string) => {
    out.className = `box ${cls}`;
    out.textContent = text;
  };
  const field = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const file = (document.getElementById('file') as HTMLInputElement).files?.[0];
    if (!file) return show('err', 'Chưa chọn tệp.');
    show('', 'Đang gửi…');
    try {
      const res = await presignedUpload({
        presign: { url: '/uploads', body: { division: field('division'), period: field('period') } },
        statusUrl: (key) => `/uploads/status?key=${encodeURIComponent(key)}`,
        file: new Blob([await file.arrayBuffer()], { type: 'application/json' }),
        fileName: file.name,
        attempts: 60,
        onProcessing: (message) => show('', message),
      });
      if (!res.ok) {
        if (res.stage === 'presign') return show('err', res.message || 'Không tạo được liên kết tải lên.');
        if (res.stage === 'send') return show('err', `Tải tệp lên không thành công (mã ${res.status}).`);
        return show('err', res.message ?? 'Hệ thống chưa trả kết quả; vui lòng tải lại trang sau ít phút.');
      }
      const rec = res.record;
      if (rec.status === 'accepted') {
        const w = rec.warnings.map((x) => `⚠ ${x.message}`).join('\n');
        return show(w ? 'warn' : 'ok', `Đã tiếp nhận (phiên bản ${rec.version}).${w ? `\n${w}` : ''}`);
      }
      show('err', `Bị từ chối:\n${rec.errors.map((x) => `✗ ${x.label}: ${x.message}`).join('\n')}`);
    } catch (err) {
      show('err', `Lỗi mạng: ${(err as Error).message}. Số liệu chưa bị mất; hãy thử gửi lại.`);
    }
  });
}
