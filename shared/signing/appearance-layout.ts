/**
 * Where each kind of signature shows on the page (Decree 30/2020, Appendix I):
 * - the competent person: their blue signature image centred in the signature box (II.7.d);
 * - the organization: its red seal over the left third of that same box (II.8.a);
 * - an attachment file: no image, the number and symbol and the signing time (ISO 8601,
 *   Vietnam time) in Times New Roman 10 pt at the top right of page 1 (II.8.b).
 */
import { type Box, drawAppearance, NOTICE_LINE, noticeWidth, textBoxSize } from './appearance';
import { SigningError } from './errors';
import { pages } from './incremental';
import type { PdfFile } from './pdf-objects';

export type SignatureAppearance =
  | { kind: 'person'; box: Box; image: Buffer }
  /** `box` is the person's signature box; `sealSize` the seal's real size in points (default: the box height). */
  | { kind: 'organization'; box: Box; seal: Buffer; sealSize?: number }
  /** `documentNumber` as printed, e.g. "05/BC-SCT"; `box` overrides the top-right placement. */
  | { kind: 'attachment'; documentNumber: string; box?: Box };

const MM = 72 / 25.4;

export async function appearanceFor(
  file: PdfFile,
  a: SignatureAppearance,
  signingTimeIso: string,
  testOnly: boolean,
): Promise<{ rect: number[]; pageIndex: number; drawing: Buffer }> {
  const all = pages(file);
  const pageIndex = a.kind === 'attachment' ? (a.box?.page ?? 0) : a.box.page;
  const page = all[pageIndex];
  if (!page)
    throw new SigningError('invalid-options', `Vị trí chữ ký: trang ${pageIndex + 1} không có trong tệp (tệp có ${all.length} trang).`);
  const [px1, py1, px2, py2] = page.mediaBox;
  const check = (b: { x: number; y: number; width: number; height: number }) => {
    if (!(b.width > 0 && b.height > 0) || b.x < px1 || b.y < py1 || b.x + b.width > px2 + 0.01 || b.y + b.height > py2 + 0.01) {
      throw new SigningError('invalid-options', 'Vị trí chữ ký (box) phải nằm trong trang và có kích thước dương.');
    }
    return [b.x, b.y, b.x + b.width, b.y + b.height];
  };

  if (a.kind === 'person') {
    const rect = check(a.box);
    return {
      rect,
      pageIndex,
      drawing: await drawAppearance({ kind: 'image', image: a.image, width: a.box.width, height: a.box.height, testOnly }),
    };
  }
  if (a.kind === 'organization') {
    check(a.box);
    const side = a.sealSize ?? a.box.height;
    // The test-only notice goes above the seal, on a line as wide as it needs.
    const width = testOnly ? Math.max(side, noticeWidth()) : side;
    const height = side + (testOnly ? NOTICE_LINE : 0);
    // Centred on the middle of the box's left third, kept inside the page.
    const x = Math.min(Math.max(px1, a.box.x + a.box.width / 6 - width / 2), px2 - width);
    const y = Math.min(Math.max(py1, a.box.y + a.box.height / 2 - side / 2), py2 - height);
    const rect = check({ x, y, width, height });
    return { rect, pageIndex, drawing: await drawAppearance({ kind: 'image', image: a.seal, width, height, testOnly, noticeAtTop: true }) };
  }
  const lines = [a.documentNumber, signingTimeIso];
  const size = textBoxSize(lines, testOnly);
  const box = a.box ?? { page: 0, x: px2 - 15 * MM - size.width, y: py2 - 8 * MM - size.height, ...size };
  const rect = check(box);
  return { rect, pageIndex, drawing: await drawAppearance({ kind: 'text', lines, width: box.width, height: box.height, testOnly }) };
}
