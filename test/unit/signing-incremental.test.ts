/**
 * Issue 16: the incremental writer on a PDF shaped unlike pdfkit's — nested page tree with an
 * inherited MediaBox, /Annots and the AcroForm's /Fields as indirect arrays, an inline AcroForm,
 * /ID in the trailer — and its refusals.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fieldNames, pages } from '../../shared/signing/incremental';
import { PdfFile, PdfRef } from '../../shared/signing/pdf-objects';
import { sampleSealImage, sampleSignatureImage } from '../../shared/signing/sample-images';
import { verifyPdf } from '../../shared/signing/verify';
import { makeSigners, signWith, type TestSigners } from '../support/signing';

/** A classic-xref PDF from object bodies (object n = bodies[n-1]). */
function buildPdf(bodies: string[], trailerExtra = ''): Buffer {
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  bodies.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${bodies.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${bodies.length + 1} /Root 1 0 R ${trailerExtra}>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const content = '0 0 m 100 100 l S';
const handmade = buildPdf(
  [
    '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields 6 0 R /DA (/Helv 0 Tf 0 g) >> >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 2 /MediaBox [0 0 595 842] >>',
    '<< /Type /Pages /Parent 2 0 R /Kids [4 0 R 7 0 R] /Count 2 >>',
    '<< /Type /Page /Parent 3 0 R /Contents 5 0 R /Annots 8 0 R >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '[]',
    '<< /Type /Page /Parent 3 0 R /Contents 5 0 R >>',
    '[]',
  ],
  '/ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>] ',
);

let signers: TestSigners;
beforeAll(async () => {
  signers = await makeSigners();
}, 30_000);

describe('incremental update on a hand-made PDF', () => {
  it('reads a nested page tree with an inherited MediaBox', () => {
    const all = pages(new PdfFile(handmade));
    expect(all.map((p) => [p.ref.num, p.mediaBox])).toEqual([
      [4, [0, 0, 595, 842]],
      [7, [0, 0, 595, 842]],
    ]);
  });

  it('signs twice, appending to indirect /Annots and /Fields, and both signatures verify', async () => {
    const box = { page: 1, x: 300, y: 200, width: 180, height: 60 };
    const one = await signWith(handmade, signers.person, { appearance: { kind: 'person', box, image: sampleSignatureImage() } });
    const two = await signWith(one, signers.organization, {
      appearance: { kind: 'organization', box: { ...box, page: 0 }, seal: sampleSealImage() },
    });
    const file = new PdfFile(two);
    expect(fieldNames(file)).toHaveLength(2);
    const annots = file.resolve(new PdfRef(8));
    expect(Array.isArray(annots) && annots.length).toBe(1);
    expect(file.trailer.get('ID')).toEqual(new PdfFile(handmade).trailer.get('ID'));
    expect(file.sections).toHaveLength(3);
    const result = await verifyPdf(two, { trustedRoots: [signers.ca.rootCertificate] });
    expect(result.signatures.map((s) => [s.signerName, s.intact, s.coversRevision, s.trusted])).toEqual([
      ['Nguyễn Văn An', true, true, true],
      ['Sở Công Thương', true, true, true],
    ]);
  });

  it('refuses a broken cross-reference stream and a file without its end marker, in Vietnamese', async () => {
    const xrefStream = Buffer.from(
      '%PDF-1.5\n1 0 obj\n<< /Type /XRef /Size 1 >>\nstream\n\nendstream\nendobj\nstartxref\n9\n%%EOF\n',
      'latin1',
    );
    const appearance = { kind: 'attachment' as const, documentNumber: '1/BC' };
    await expect(signWith(xrefStream, signers.organization, { appearance })).rejects.toThrow(
      // Cross-reference streams are read (signing-xref-streams.test.ts); this one lacks its /W.
      'Tệp PDF không đọc được (/W của bảng tham chiếu): tệp hỏng hoặc không phải PDF.',
    );
    await expect(signWith(handmade.subarray(0, handmade.length - 8), signers.organization, { appearance })).rejects.toThrow(
      'Tệp PDF không đọc được (thiếu startxref/%%EOF ở cuối tệp): tệp hỏng hoặc không phải PDF do hệ thống tạo.',
    );
  });
});
