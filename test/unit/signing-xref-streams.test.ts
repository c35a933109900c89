/**
 * Issue 16 (attachments come from Word and other tools): a PDF whose objects sit in object streams
 * and whose cross-reference is a stream is read, signed twice by incremental updates, and
 * verified; what cannot be read (encrypted files, unknown filters, a decompression bomb) is
 * refused with a Vietnamese message naming the cause.
 */
import { deflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { pages } from '../../shared/signing/incremental';
import { PdfFile } from '../../shared/signing/pdf-objects';
import { MAX_DECODED_STREAM_BYTES } from '../../shared/signing/pdf-streams';
import { sampleSealImage, sampleSignatureImage } from '../../shared/signing/sample-images';
import { verifyPdf } from '../../shared/signing/verify';
import { makeReportPdf, makeSigners, SIGNATURE_BOX, signWith, type TestSigners } from '../support/signing';
import { toXrefStreamPdf } from '../support/xref-stream-pdf';

let signers: TestSigners;
let classic: Buffer;
let modern: Buffer;

beforeAll(async () => {
  signers = await makeSigners();
  classic = await makeReportPdf();
  modern = toXrefStreamPdf(classic);
}, 30_000);

/** Flips one bit inside the first stream object (page content or font: part of the first revision). */
function changeFirstStreamByte(pdf: Buffer): Buffer {
  const copy = Buffer.from(pdf);
  copy[copy.indexOf('stream\n', 0, 'latin1') + 12] ^= 0x01;
  return copy;
}

/** The fixture's cross-reference stream dictionary with `extra` entries, the stream bytes untouched. */
function withXrefEntries(pdf: Buffer, extra: string): Buffer {
  const text = pdf.toString('latin1');
  const at = text.lastIndexOf('/Type /XRef');
  return Buffer.from(`${text.slice(0, at)}${extra} ${text.slice(at)}`, 'latin1');
}

/** A file whose chain is made of the given (deflated) cross-reference streams, newest last, each pointing back at the previous one. */
function xrefChain(streams: Buffer[]): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.5\n', 'latin1')];
  let length = parts[0].length;
  let prev: number | undefined;
  streams.forEach((data, i) => {
    const at = length;
    const head = `${i + 1} 0 obj\n<< /Type /XRef /Size 2 /W [1 4 2] /Filter /FlateDecode /Length ${data.length}${prev === undefined ? '' : ` /Prev ${prev}`} >>\nstream\n`;
    const body = Buffer.concat([Buffer.from(head, 'latin1'), data, Buffer.from('\nendstream\nendobj\n', 'latin1')]);
    parts.push(body);
    length += body.length;
    prev = at;
  });
  parts.push(Buffer.from(`startxref\n${prev}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}

describe('PDFs with cross-reference and object streams', () => {
  it('reads the same pages as the classic file it was made from', () => {
    const file = new PdfFile(modern);
    expect(file.usesXrefStreams).toBe(true);
    expect(modern.toString('latin1')).not.toMatch(/^xref$/m);
    expect(pages(file).map((p) => p.mediaBox)).toEqual(pages(new PdfFile(classic)).map((p) => p.mediaBox));
    // Page dictionaries come out of the object stream.
    expect(file.inUse().some((n) => 'stream' in (file.offsets.get(n) ?? {}))).toBe(true);
  });

  it('takes the person then the organization signature, each an update that keeps the earlier bytes', async () => {
    const byPerson = await signWith(modern, signers.person, {
      appearance: { kind: 'person', box: SIGNATURE_BOX, image: sampleSignatureImage() },
    });
    const byBoth = await signWith(byPerson, signers.organization, {
      appearance: { kind: 'organization', box: SIGNATURE_BOX, seal: sampleSealImage() },
    });
    expect(byPerson.subarray(0, modern.length).equals(modern)).toBe(true);
    expect(byBoth.subarray(0, byPerson.length).equals(byPerson)).toBe(true);
    // The updates continue the chain with cross-reference streams, as the file began.
    expect(new PdfFile(byBoth).usesXrefStreams).toBe(true);
    expect(new PdfFile(byBoth).sections).toHaveLength(3);
    const result = await verifyPdf(byBoth, { trustedRoots: [signers.ca.rootCertificate] });
    expect(result.signatures.map((s) => [s.signerName, s.intact, s.coversRevision, s.trusted])).toEqual([
      ['Nguyễn Văn An', true, true, true],
      ['Sở Công Thương', true, true, true],
    ]);
    const tampered = await verifyPdf(changeFirstStreamByte(byBoth), { trustedRoots: [signers.ca.rootCertificate] });
    expect(tampered.signatures.map((s) => s.intact)).toEqual([false, false]);
  });

  it('signs an attachment at the top right of its first page', async () => {
    const signed = await signWith(modern, signers.organization, { appearance: { kind: 'attachment', documentNumber: '05/BC-SCT' } });
    const [sig] = (await verifyPdf(signed, { trustedRoots: [signers.ca.rootCertificate] })).signatures;
    expect([sig.signerName, sig.intact, sig.coversRevision]).toEqual(['Sở Công Thương', true, true]);
  });

  it('refuses an encrypted file, naming the cause', () => {
    const encrypted = withXrefEntries(modern, '/Encrypt << /Filter /Standard /V 2 /R 3 >>');
    expect(() => new PdfFile(encrypted)).toThrow(/mã hóa hoặc đặt mật khẩu/);
  });

  it('refuses a cross-reference stream with a filter it does not know, naming it', () => {
    const lzw = Buffer.from(
      modern.toString('latin1').replace(/(\/Type \/XRef[\s\S]*?)\/Filter \/FlateDecode/, '$1/Filter /LZWDecode'),
      'latin1',
    );
    expect(() => new PdfFile(lzw)).toThrow(/bộ lọc LZWDecode/);
  });

  it('refuses a cross-reference stream that inflates past the limit, without inflating it all', () => {
    const bomb = deflateSync(Buffer.alloc(MAX_DECODED_STREAM_BYTES + 1));
    expect(bomb.length).toBeLessThan(200_000);
    expect(() => new PdfFile(xrefChain([bomb]))).toThrow(/giải nén quá lớn/);
  });

  it('counts every stream of a file against one allowance: two halves past it are refused too', () => {
    const half = deflateSync(Buffer.alloc(MAX_DECODED_STREAM_BYTES / 2 + 7));
    expect(() => new PdfFile(xrefChain([half, half]))).toThrow(/giải nén quá lớn/);
  });
});
