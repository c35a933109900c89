/** Issue 16: PAdES signatures made by incremental updates, checked by verifyPdf. */
import { beforeAll, describe, expect, it } from 'vitest';
import { firstDerElement } from '../../shared/signing/cms';
import { SigningError } from '../../shared/signing/errors';
import { signDigest } from '../../shared/signing/local-ca';
import {
  completePdfSignature,
  deserializePrepared,
  preparedFrom,
  preparePdfSignature,
  serializePrepared,
  vietnamIso,
} from '../../shared/signing/pades';
import { sampleSealImage, sampleSignatureImage } from '../../shared/signing/sample-images';
import { verifyPdf } from '../../shared/signing/verify';
import {
  changeOneByte,
  credentialOf,
  makeEcdsaSigner,
  makeReportPdf,
  makeSigners,
  SIGNATURE_BOX,
  signWith,
  type TestSigners,
} from '../support/signing';

let signers: TestSigners;
let report: Buffer;
let byPerson: Buffer;
let byBoth: Buffer;
// Within the test certificates' validity (issued a day back): a signing time outside it is not trusted.
const at = new Date(Date.now() - 3_600_000 + 678);

beforeAll(async () => {
  signers = await makeSigners();
  report = await makeReportPdf();
  byPerson = await signWith(report, signers.person, {
    appearance: { kind: 'person', box: SIGNATURE_BOX, image: sampleSignatureImage() },
    signingTime: at,
  });
  byBoth = await signWith(byPerson, signers.organization, {
    appearance: { kind: 'organization', box: SIGNATURE_BOX, seal: sampleSealImage() },
    signingTime: new Date(at.getTime() + 60_000),
  });
}, 30_000);

const trusted = () => ({ trustedRoots: [signers.ca.rootCertificate] });

describe('PAdES signatures', () => {
  it('adds each signature as an incremental update that keeps the earlier bytes', () => {
    expect(byPerson.subarray(0, report.length).equals(report)).toBe(true);
    expect(byBoth.subarray(0, byPerson.length).equals(byPerson)).toBe(true);
    expect(byBoth.toString('latin1')).toContain('/SubFilter /ETSI.CAdES.detached');
  });

  it('gives two signatures that are intact, cover their revision and chain to the trusted test root', async () => {
    const result = await verifyPdf(byBoth, trusted());
    expect(result.ok).toBe(true);
    expect(result.signatures.map((s) => [s.signerName, s.organization, s.intact, s.coversRevision, s.trusted, s.testOnly])).toEqual([
      ['Nguyễn Văn An', 'Sở Công Thương', true, true, true, true],
      ['Sở Công Thương', 'UBND TỈNH ĐỒNG NAI', true, true, true, true],
    ]);
    expect(result.signatures[0].issuer).toBe('baocao – CA thử nghiệm cục bộ');
  });

  it('puts the signing time in the signature to the second, in Vietnam time', async () => {
    const result = await verifyPdf(byBoth, trusted());
    expect(result.signatures.map((s) => s.signedAt)).toEqual([vietnamIso(at), vietnamIso(new Date(at.getTime() + 60_000))]);
    expect(result.signatures[0].signedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/);
    expect(vietnamIso(new Date('2026-01-05T07:30:15.678Z'))).toBe('2026-01-05T14:30:15+07:00');
  });

  it('is not trusted when signed outside the certificate validity', async () => {
    const old = await signWith(report, signers.person, {
      appearance: { kind: 'person', box: SIGNATURE_BOX, image: sampleSignatureImage() },
      signingTime: new Date('2020-01-01T00:00:00Z'),
    });
    const [s] = (await verifyPdf(old, trusted())).signatures;
    expect([s.intact, s.trusted]).toEqual([true, false]);
    expect(s.problems.join(' ')).toMatch(/không còn hiệu lực vào thời điểm ký/);
  });

  it('is not trusted without the test root, though still intact', async () => {
    const result = await verifyPdf(byBoth, { trustedRoots: [] });
    expect(result.ok).toBe(false);
    expect(result.signatures.every((s) => s.intact && !s.trusted)).toBe(true);
    expect(result.signatures[0].problems.join(' ')).toMatch(/không dẫn tới tổ chức chứng thực được tin cậy/);
  });

  it('makes both signatures fail when one byte of the first revision changes', async () => {
    const tampered = changeOneByte(byBoth);
    expect(tampered.length).toBe(byBoth.length);
    const result = await verifyPdf(tampered, trusted());
    expect(result.ok).toBe(false);
    expect(result.signatures.map((s) => s.intact)).toEqual([false, false]);
    expect(result.signatures[0].problems).toContain('Nội dung được ký đã bị thay đổi (mã băm không khớp).');
  });

  it('survives the wait between request and answer as JSON, and refuses another PDF', async () => {
    const credential = credentialOf(signers.person);
    const prepared = await preparePdfSignature(report, {
      appearance: { kind: 'person', box: SIGNATURE_BOX, image: sampleSignatureImage() },
      credential,
    });
    const stored = serializePrepared(prepared);
    const later = deserializePrepared(JSON.parse(JSON.stringify(stored)));
    const signed = completePdfSignature(later, await signDigest(signers.person.key, later.digest), credential);
    expect((await verifyPdf(signed, trusted())).ok).toBe(true);
    // The state alone is plain JSON: the PDF can live in a blob store.
    expect(JSON.parse(JSON.stringify(prepared.state))).toEqual(prepared.state);
    expect(() => preparedFrom(changeOneByte(prepared.pdf), prepared.state)).toThrow(/không khớp/);
  });

  it('reports a signature made with the wrong key as not intact', async () => {
    const credential = credentialOf(signers.person);
    const prepared = await preparePdfSignature(report, {
      appearance: { kind: 'person', box: SIGNATURE_BOX, image: sampleSignatureImage() },
      credential,
    });
    const forged = completePdfSignature(prepared, await signDigest(signers.organization.key, prepared.digest), credential);
    const [s] = (await verifyPdf(forged, trusted())).signatures;
    expect(s.intact).toBe(false);
    expect(s.problems).toContain('Chữ ký không khớp với chứng thư số của người ký.');
  });

  it('reserves room in /Contents for a longer certificate chain', async () => {
    const chain = [...signers.person.chain, signers.organization.chain[0], signers.organization.chain[0]];
    const credential = { ...credentialOf(signers.person), chain };
    const prepared = await preparePdfSignature(report, { appearance: { kind: 'attachment', documentNumber: '05/BC-SCT' }, credential });
    const signed = completePdfSignature(prepared, await signDigest(signers.person.key, prepared.digest), credential);
    expect((await verifyPdf(signed, trusted())).ok).toBe(true);
  });

  it('refuses a box outside the page and a missing page with a Vietnamese message', async () => {
    const credential = credentialOf(signers.person);
    const image = sampleSignatureImage();
    await expect(
      preparePdfSignature(report, { appearance: { kind: 'person', box: { ...SIGNATURE_BOX, page: 5 }, image }, credential }),
    ).rejects.toThrow('Vị trí chữ ký: trang 6 không có trong tệp (tệp có 2 trang).');
    await expect(
      preparePdfSignature(report, { appearance: { kind: 'person', box: { ...SIGNATURE_BOX, x: 590 }, image }, credential }),
    ).rejects.toThrow(SigningError);
    await expect(
      preparePdfSignature(Buffer.from('%PDF-1.3\nrác'), { appearance: { kind: 'attachment', documentNumber: '1' }, credential }),
    ).rejects.toThrow(/Tệp PDF không đọc được/);
  });
});

describe('ECDSA credentials (a remote CA service may hold a P-256 key)', () => {
  it('builds an ecdsa-with-SHA256 SignerInfo that verifies', async () => {
    const ecdsa = await makeEcdsaSigner();
    const prepared = await preparePdfSignature(report, {
      appearance: { kind: 'attachment', documentNumber: '12/BC-STP' },
      credential: ecdsa.credential,
    });
    const signed = completePdfSignature(prepared, ecdsa.sign(prepared), ecdsa.credential);
    const result = await verifyPdf(signed, { trustedRoots: ecdsa.credential.chain });
    expect(result.ok).toBe(true);
    expect(result.signatures[0]).toMatchObject({ signerName: 'Trần Thị Bình', organization: 'Sở Tư pháp', testOnly: false });
  });
});

describe('reading /Contents', () => {
  it('takes the DER element by its length, even when it ends in zero bytes like the padding', () => {
    const value = Buffer.from([0x30, 0x82, 0x00, 0x03, 0x04, 0x01, 0x00]);
    expect(firstDerElement(Buffer.concat([value, Buffer.alloc(40)]))).toEqual(value);
    expect(firstDerElement(Buffer.from([0x30, 0x05, 0x00]))).toBeUndefined();
    expect(firstDerElement(Buffer.alloc(64))).toEqual(Buffer.from([0x00, 0x00]));
  });
});

describe('verifyPdf on bad input', () => {
  it('never throws: not a PDF, no signature, a truncated file, a garbled signature', async () => {
    expect((await verifyPdf(Buffer.from('xin chào'), trusted())).error?.message).toBe('Tệp không phải PDF.');
    expect((await verifyPdf(report, trusted())).error?.message).toBe('Tệp PDF không có chữ ký số nào.');
    const truncated = await verifyPdf(byBoth.subarray(0, byPerson.length - 100), trusted());
    expect(truncated.ok).toBe(false);
    expect(truncated.signatures[0].problems).toEqual(['Vùng ký (ByteRange) không hợp lệ.']);
    const garbled = Buffer.from(byPerson);
    const contents = garbled.indexOf('/Contents <', report.length, 'latin1') + 11;
    garbled.write('FFFF', contents, 'latin1');
    const g = await verifyPdf(garbled, trusted());
    expect(g.ok).toBe(false);
    expect(g.signatures[0].problems[0]).toMatch(/Nội dung chữ ký \(CMS\)/);
  });
});
