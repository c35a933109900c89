/** Issue 14, hostile files: zip bombs, inherited keys, encodings. Each attack is built here, never committed. */
import { once } from 'node:events';
import { createDeflateRaw } from 'node:zlib';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { makeHandler as makeIngest } from '../../functions/ingest';
import { organization } from '../../shared/config';
import { validateSubmission } from '../../shared/domain/submission';
import { decodeJsonUpload } from '../../shared/features/intake/json-upload';
import { buildSubmissionXlsx, parseSubmissionXlsx, XlsxFormatError } from '../../shared/features/intake/xlsx';
import { checkZip } from '../../shared/features/intake/zip-guard';
import vp from '../../shared/sample/submissions/2021-Q1/VP.json' with { type: 'json' };
import { getTemplate } from '../../shared/templates';
import { ddb, deps, s3, s3Event, submissionWrites } from './handlers-harness';

const template = getTemplate('cchc');
const ctx = { organization, expectedDivision: 'VP', expectedPeriod: '2021-Q1' };

/** Deflates `size` zero bytes a megabyte at a time: the test never holds the expanded data. */
async function deflatedZeros(size: number): Promise<Buffer> {
  const z = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  z.on('data', (c: Buffer) => out.push(c));
  const chunk = Buffer.alloc(1024 * 1024);
  for (let left = size; left > 0; left -= chunk.length) {
    if (!z.write(left >= chunk.length ? chunk : chunk.subarray(0, left))) await once(z, 'drain');
  }
  z.end();
  await once(z, 'end');
  return Buffer.concat(out);
}

/** A zip archive by hand: entries of deflated data, sizes as declared (a bomb may lie). */
function zipOf(entries: Array<{ name: string; data: Buffer; size: number; declared?: number }>): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const declared = e.declared ?? e.size;
    const loc = Buffer.alloc(30);
    loc.writeUInt32LE(0x04034b50, 0);
    loc.writeUInt16LE(20, 4);
    loc.writeUInt16LE(8, 8);
    loc.writeUInt32LE(e.data.length, 18);
    loc.writeUInt32LE(declared, 22);
    loc.writeUInt16LE(name.length, 26);
    const cen = Buffer.alloc(46);
    cen.writeUInt32LE(0x02014b50, 0);
    cen.writeUInt16LE(20, 4);
    cen.writeUInt16LE(20, 6);
    cen.writeUInt16LE(8, 10);
    cen.writeUInt32LE(e.data.length, 20);
    cen.writeUInt32LE(declared, 24);
    cen.writeUInt16LE(name.length, 28);
    cen.writeUInt32LE(offset, 42);
    locals.push(loc, name, e.data);
    central.push(cen, name);
    offset += loc.length + name.length + e.data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const MB = 1024 * 1024;

describe('zip bombs in .xlsx uploads', () => {
  it('refuses a 100 MB-expanding sheet before expanding it, in Vietnamese, with memory bounded', async () => {
    const bomb = zipOf([{ name: 'xl/worksheets/sheet1.xml', data: await deflatedZeros(100 * MB), size: 100 * MB }]);
    expect(bomb.length).toBeLessThan(200 * 1024);
    const before = process.memoryUsage();
    const err = await parseSubmissionXlsx(template, bomb).catch((e: unknown) => e);
    const after = process.memoryUsage();
    expect(err).toBeInstanceOf(XlsxFormatError);
    expect((err as Error).message).toMatch(/^Tệp Excel bị nén bất thường/);
    expect(after.arrayBuffers + after.heapUsed - (before.arrayBuffers + before.heapUsed)).toBeLessThan(40 * MB);
  });

  it('catches a bomb whose headers lie about its size: inflation stops at the cap', async () => {
    const data = await deflatedZeros(300 * MB);
    const liar = zipOf([{ name: 'xl/sharedStrings.xml', data, size: 300 * MB, declared: 1000 }]);
    const before = process.memoryUsage();
    expect(checkZip(liar)).toMatchObject({ kind: 'entryTooLarge', name: 'xl/sharedStrings.xml' });
    const after = process.memoryUsage();
    expect(after.arrayBuffers + after.heapUsed - (before.arrayBuffers + before.heapUsed)).toBeLessThan(40 * MB);
    await expect(parseSubmissionXlsx(template, liar)).rejects.toThrow(/Tệp Excel bị nén bất thường/);
  });

  it('refuses many small entries adding up past the total, and too many entries', async () => {
    const five = await deflatedZeros(5 * MB);
    const many = zipOf(Array.from({ length: 6 }, (_, i) => ({ name: `xl/worksheets/sheet${i}.xml`, data: five, size: 5 * MB })));
    expect(checkZip(many)).toMatchObject({ kind: 'ratio' });
    const small = await deflatedZeros(10);
    const swarm = zipOf(Array.from({ length: 1500 }, (_, i) => ({ name: `x/${i}.xml`, data: small, size: 10 })));
    expect(checkZip(swarm)).toEqual({ kind: 'tooManyEntries', entries: 1500 });
  });

  it('refuses the bomb through ingest: recorded as refused, no version used', async () => {
    const bomb = zipOf([{ name: 'xl/worksheets/sheet1.xml', data: await deflatedZeros(100 * MB), size: 100 * MB }]);
    const d = deps();
    s3.on(HeadObjectCommand).resolves({
      ContentLength: bomb.length,
      ContentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      ETag: '"e1"',
    });
    s3.on(GetObjectCommand).resolves({ Body: { transformToByteArray: async () => new Uint8Array(bomb) } } as never);
    const res = await makeIngest(() => d)(s3Event('raw/2021-Q1/VP/bomb.xlsx'));
    expect(res.status).toBe('refused');
    expect(JSON.stringify(ddb.commandCalls(PutCommand)[0].args[0].input.Item?.errors)).toContain('Tệp Excel bị nén bất thường');
    expect(submissionWrites()).toHaveLength(0);
  });

  it('still reads a real filled template', async () => {
    const ok = validateSubmission(template, vp, ctx);
    const file = await buildSubmissionXlsx({ template, organization, divisionId: 'VP', periodId: '2021-Q1', prefill: ok.submission });
    expect(checkZip(file)).toBeUndefined();
    expect(validateSubmission(template, await parseSubmissionXlsx(template, file), ctx).ok).toBe(true);
  });
});

describe('inherited keys', () => {
  it.each(['__proto__', 'constructor', 'toString'])(
    'an .xlsx indicator or narrative code %s is refused by name, no crash',
    async (code) => {
      const file = await buildSubmissionXlsx({ template, organization, divisionId: 'VP', periodId: '2021-Q1' });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(file as unknown as ArrayBuffer);
      wb.getWorksheet('Chỉ tiêu')!.addRow([code, 'x', '', 7]);
      const nar = wb.getWorksheet('Nội dung')!;
      nar.addRow([code, 'x', 'một dòng']);
      nar.addRow(['', '', 'dòng thứ hai']);
      const parsed = await parseSubmissionXlsx(template, Buffer.from(await wb.xlsx.writeBuffer()));
      const res = validateSubmission(template, parsed, ctx);
      expect(res.ok).toBe(false);
      expect(res.errors.map((e) => e.field)).toEqual(expect.arrayContaining([`indicators.${code}`, `narratives.${code}`]));
      expect(res.errors.find((e) => e.field === `indicators.${code}`)?.message).toContain(`“${code}”`);
    },
  );

  it.each(['toString', 'constructor', '__proto__', 'valueOf'])('a confirmation key %s is refused by name', (key) => {
    const raw = JSON.parse(JSON.stringify(vp).replace(/}\s*$/, `,"confirmations":{"${key}":"số liệu đúng"}}`));
    const res = validateSubmission(template, raw, ctx);
    expect(res.ok).toBe(false);
    expect(res.errors).toEqual([expect.objectContaining({ field: `confirmations.${key}`, message: expect.stringContaining(`“${key}”`) })]);
  });
});

describe('JSON upload encodings', () => {
  const text = JSON.stringify(vp);
  it('accepts UTF-8 with a BOM', () => {
    expect(decodeJsonUpload(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toEqual({ ok: true, value: vp });
  });
  it('decodes UTF-16 LE and BE with a BOM', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    expect(decodeJsonUpload(le)).toEqual({ ok: true, value: vp });
    expect(decodeJsonUpload(be)).toEqual({ ok: true, value: vp });
  });
  it('names the encoding, not the commas, for UTF-16 without a BOM and invalid UTF-8', () => {
    for (const bad of [
      Buffer.from(text, 'utf16le'),
      Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
      Buffer.from('{"a":"\xe1"}', 'latin1'),
    ]) {
      const r = decodeJsonUpload(bad);
      expect(r).toMatchObject({ ok: false, rule: 'file.encoding' });
      expect(r.ok ? '' : r.message).toContain('Tệp phải mã hóa UTF-8');
    }
  });
  it('keeps the syntax message for broken JSON', () => {
    expect(decodeJsonUpload(Buffer.from('{"a": '))).toMatchObject({ ok: false, rule: 'file.json' });
  });
  it('ingest accepts a BOM-prefixed file', async () => {
    const d = deps();
    const file = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    s3.on(HeadObjectCommand).resolves({ ContentLength: file.length, ContentType: 'application/json', ETag: '"e1"' });
    s3.on(GetObjectCommand).resolves({ Body: { transformToByteArray: async () => new Uint8Array(file) } } as never);
    s3.on(PutObjectCommand).resolves({ ETag: '"body"' });
    const result = await makeIngest(() => d)(s3Event('raw/2021-Q1/VP/bom.json'));
    expect(result).toMatchObject({ status: 'accepted', version: 1 });
  });
});
