/**
 * Signing material is checked before it becomes organization data: a PNG with transparency of a
 * sane size (colour only warned about), a certificate chain that parses, is valid now and allows
 * signing (the name only warned about). Every message names the field, in Vietnamese.
 */
import { webcrypto } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import '../../shared/signing/reflect-shim';
import * as x509 from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { checkChain } from '../../shared/signing/chain-checks';
import { checkImage, MAX_IMAGE_BYTES, pngFacts } from '../../shared/signing/material-checks';
import { encodePng, sampleSealImage, sampleSignatureImage } from '../../shared/signing/sample-images';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/** A solid ink stroke on a transparent background, in the given colour. */
function stroke(width: number, height: number, rgb: [number, number, number]) {
  const px = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      if (Math.abs(y - height / 2) < 4) px.set([...rgb, 255], (y * width + x) * 4);
    }
  return encodePng(width, height, px);
}

/** The same as an RGB PNG (colour type 2): no alpha channel, no tRNS. */
function opaqueRgb(width: number, height: number): Buffer {
  const png = stroke(width, height, [0, 0, 200]);
  const facts = pngFacts(png)!;
  const raw = Buffer.alloc((width * 3 + 1) * height, 0xff);
  for (let y = 0; y < facts.height; y++) raw[y * (width * 3 + 1)] = 0;
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const byte of b) {
      c ^= byte;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([png.subarray(0, 8), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

describe('checkImage', () => {
  it('accepts the sample signature (blue) and seal (red) without a warning', () => {
    const sig = checkImage(Buffer.from(sampleSignatureImage()), 'signature', 'signing.signer.image');
    expect(sig).toMatchObject({ errors: [], warnings: [] });
    expect(sig.facts).toMatchObject({ colourType: 6, hasAlpha: true });
    expect(checkImage(Buffer.from(sampleSealImage()), 'seal', 'signing.organization.seal')).toMatchObject({ errors: [], warnings: [] });
  });

  it('refuses a PNG without transparency, naming the field', () => {
    const r = checkImage(opaqueRgb(200, 80), 'signature', 'signing.signer.image');
    expect(r.facts).toMatchObject({ colourType: 2, hasAlpha: false, width: 200, height: 80 });
    expect(r.errors).toEqual(['Ảnh chữ ký (signing.signer.image): ảnh cần nền trong suốt (PNG có kênh alpha hoặc tRNS).']);
  });

  it('refuses a file over 1 MB and one that is not a PNG', () => {
    const big = Buffer.concat([Buffer.from(sampleSealImage()), Buffer.alloc(MAX_IMAGE_BYTES)]);
    expect(checkImage(big, 'seal', 'signing.organization.seal').errors[0]).toMatch(
      /^Ảnh con dấu \(signing.organization.seal\): tệp \d+ KB, vượt quá giới hạn 1 MB\.$/,
    );
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.alloc(100)]);
    expect(checkImage(jpeg, 'seal', 'signing.organization.seal').errors).toEqual([
      'Ảnh con dấu (signing.organization.seal): không phải tệp PNG hợp lệ.',
    ]);
    const truncated = Buffer.from(sampleSealImage()).subarray(0, 40);
    expect(checkImage(truncated, 'seal', 'x').errors).toEqual(['Ảnh con dấu (x): không phải tệp PNG hợp lệ.']);
  });

  it('refuses insane dimensions', () => {
    expect(checkImage(stroke(10, 10, [0, 0, 200]), 'signature', 'f').errors[0]).toContain('kích thước 10×10');
    expect(checkImage(stroke(900, 40, [0, 0, 200]), 'signature', 'f').errors[0]).toContain('quá dẹt');
  });

  it('warns, does not refuse, when a signature is not blue or a seal not red', () => {
    const red = checkImage(stroke(200, 80, [200, 10, 10]), 'signature', 'signing.signer.image');
    expect(red.errors).toEqual([]);
    expect(red.warnings).toEqual(['Ảnh chữ ký (signing.signer.image): màu mực không phải màu xanh (Nghị định 30: chữ ký màu xanh).']);
    const blue = checkImage(stroke(200, 200, [10, 10, 200]), 'seal', 'signing.organization.seal');
    expect(blue.errors).toEqual([]);
    expect(blue.warnings[0]).toContain('không phải màu đỏ');
  });
});

const ALG = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };

async function certificate(o: { name: string; notBefore: Date; notAfter: Date; usages?: number }) {
  const keys = (await webcrypto.subtle.generateKey(ALG, false, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=${o.name}`,
    notBefore: o.notBefore,
    notAfter: o.notAfter,
    keys,
    signingAlgorithm: ALG,
    extensions: o.usages === undefined ? [] : [new x509.KeyUsagesExtension(o.usages, true)],
  });
  return Buffer.from(cert.toString('pem'));
}

describe('checkChain', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const year = (y: number) => new Date(`${y}-01-01T00:00:00Z`);
  const signing = x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation;

  it('accepts a valid signing certificate (PEM or DER) and reports its facts', async () => {
    const pem = await certificate({ name: 'Nguyễn Văn A', notBefore: year(2025), notAfter: year(2028), usages: signing });
    const r = checkChain(pem, 'signing.signer.chain', 'Nguyễn Văn A', now);
    expect(r).toMatchObject({ errors: [], warnings: [] });
    expect(r.facts).toMatchObject({ subject: 'CN=Nguyễn Văn A', notAfter: '2028-01-01T00:00:00.000Z' });
    const der = Buffer.from(new x509.X509Certificate(pem.toString()).rawData);
    expect(checkChain(der, 'f', 'Nguyễn Văn A', now).errors).toEqual([]);
  });

  it('refuses an expired certificate, one without signing key usage, and garbage', async () => {
    const expired = await certificate({ name: 'A', notBefore: year(2020), notAfter: year(2022), usages: signing });
    expect(checkChain(expired, 'signing.signer.chain', 'A', now).errors).toEqual([
      'Chuỗi chứng thư số (signing.signer.chain): chứng thư "CN=A" đã hết hạn ngày 2022-01-01.',
    ]);
    const encipher = await certificate({
      name: 'A',
      notBefore: year(2025),
      notAfter: year(2028),
      usages: x509.KeyUsageFlags.keyEncipherment,
    });
    expect(checkChain(encipher, 'f', 'A', now).errors[0]).toContain('không cho phép ký số');
    expect(checkChain(Buffer.from('not a certificate'), 'f', 'A', now).errors[0]).toContain('không đọc được chứng thư số');
  });

  it('warns when the certificate does not name the signer', async () => {
    const pem = await certificate({ name: 'Trần Thị B', notBefore: year(2025), notAfter: year(2028), usages: signing });
    const r = checkChain(pem, 'signing.signer.chain', 'Nguyễn Văn A', now);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual(['Chuỗi chứng thư số (signing.signer.chain): chủ thể "CN=Trần Thị B" không ghi tên "Nguyễn Văn A".']);
  });
});
