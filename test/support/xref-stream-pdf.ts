/**
 * Rewrites a classic-xref PDF (pdfkit's) the way Word and most current tools write PDF 1.5+:
 * every non-stream object inside one compressed object stream, a cross-reference stream with
 * a PNG "Up" predictor instead of the xref table, and stream lengths as indirect objects.
 * Built to the letter of ISO 32000-1 7.5.7–7.5.8 so that the tests can prove the signer reads
 * such files; poppler's reading of the result is checked in the tests that use it.
 */
import { deflateSync } from 'node:zlib';
import { PdfName, PdfRef, type PdfValue, readAllObjects, serialize } from '../../shared/signing/pdf-objects';

const W = [1, 3, 2];

/** Rows of the cross-reference stream, PNG-Up predicted (each row: filter byte 2, then differences). */
function predictedRows(rows: number[][]): Buffer {
  const width = W.reduce((a, b) => a + b, 0);
  const raw = rows.map((r) => {
    const b = Buffer.alloc(width);
    let at = 0;
    r.forEach((v, i) => {
      b.writeUIntBE(v, at, W[i]);
      at += W[i];
    });
    return b;
  });
  return Buffer.concat(
    raw.map((b, i) => {
      const prev = i > 0 ? raw[i - 1] : Buffer.alloc(width);
      return Buffer.concat([Buffer.from([2]), Buffer.from(b.map((x, k) => (x - prev[k]) & 0xff))]);
    }),
  );
}

export function toXrefStreamPdf(classic: Buffer): Buffer {
  const { file, objects } = readAllObjects(classic);
  const nums = [...objects.keys()].sort((a, b) => a - b);
  let next = Math.max(...nums) + 1;
  const compressed = nums.filter((n) => !objects.get(n)?.stream);
  const streams = nums.filter((n) => objects.get(n)?.stream);
  const parts: Buffer[] = [Buffer.from('%PDF-1.5\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = parts[0].length;
  const entries = new Map<number, number[]>();
  const emit = (num: number, body: Buffer) => {
    entries.set(num, [1, length, 0]);
    parts.push(body);
    length += body.length;
  };

  // Streams stay objects of their own, each with its /Length in a separate object.
  for (const n of streams) {
    const obj = objects.get(n)!;
    const lengthRef = new PdfRef(next++);
    const dict = new Map(obj.value as Map<string, PdfValue>);
    dict.set('Length', lengthRef);
    emit(
      n,
      Buffer.concat([Buffer.from(`${n} 0 obj\n${serialize(dict)}\nstream\n`, 'latin1'), obj.stream!, Buffer.from('\nendstream\nendobj\n')]),
    );
    emit(lengthRef.num, Buffer.from(`${lengthRef.num} 0 obj\n${obj.stream!.length}\nendobj\n`, 'latin1'));
  }

  // Every other object in one object stream.
  const objStm = next++;
  let header = '';
  let body = '';
  compressed.forEach((n, i) => {
    header += `${n} ${Buffer.byteLength(body, 'latin1')} `;
    body += `${serialize(objects.get(n)!.value)}\n`;
    entries.set(n, [2, objStm, i]);
  });
  const data = deflateSync(Buffer.from(header + body, 'latin1'));
  const stmDict = new Map<string, PdfValue>([
    ['Type', new PdfName('ObjStm')],
    ['N', compressed.length],
    ['First', Buffer.byteLength(header, 'latin1')],
    ['Filter', new PdfName('FlateDecode')],
    ['Length', data.length],
  ]);
  emit(
    objStm,
    Buffer.concat([Buffer.from(`${objStm} 0 obj\n${serialize(stmDict)}\nstream\n`, 'latin1'), data, Buffer.from('\nendstream\nendobj\n')]),
  );

  // The cross-reference stream lists objects 0..size-1, itself included.
  const xrefNum = next++;
  const xrefAt = length;
  entries.set(xrefNum, [1, xrefAt, 0]);
  const rows = Array.from({ length: next }, (_, n) => entries.get(n) ?? [0, 0, n === 0 ? 65535 : 0]);
  const xrefData = deflateSync(predictedRows(rows));
  const xrefDict = new Map<string, PdfValue>([
    ['Type', new PdfName('XRef')],
    ['Size', next],
    ['W', W],
    ['Root', file.trailer.get('Root') as PdfValue],
    ['Filter', new PdfName('FlateDecode')],
    [
      'DecodeParms',
      new Map<string, PdfValue>([
        ['Predictor', 12],
        ['Columns', W.reduce((a, b) => a + b, 0)],
      ]),
    ],
    ['Length', xrefData.length],
  ]);
  for (const key of ['Info', 'ID']) if (file.trailer.has(key)) xrefDict.set(key, file.trailer.get(key) as PdfValue);
  parts.push(Buffer.from(`${xrefNum} 0 obj\n${serialize(xrefDict)}\nstream\n`, 'latin1'), xrefData);
  parts.push(Buffer.from(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}
