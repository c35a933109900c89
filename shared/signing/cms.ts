/**
 * The CMS pieces of a PAdES signature (ETSI EN 319 142, `ETSI.CAdES.detached`): the signed
 * attributes a provider signs the digest of, and the SignedData built around the raw signature
 * it returns. Written as DER by hand around asn1js primitives so that the signed attributes are
 * embedded byte for byte as they were hashed (re-encoding could reorder them).
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import type { SignatureAlgorithm } from './ports';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;

export const sha256 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let x = n; x > 0; x >>= 8) bytes.unshift(x & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One DER element: tag, length, then the concatenated contents. */
export function der(tag: number, ...parts: Uint8Array[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

const ber = (v: { toBER(): ArrayBuffer }) => Buffer.from(v.toBER());
export const oid = (value: string) => ber(new asn1js.ObjectIdentifier({ value }));
const octets = (b: Uint8Array) => der(0x04, b);
const algorithm = (o: string, nullParams: boolean) => der(0x30, oid(o), nullParams ? Buffer.from([0x05, 0x00]) : Buffer.alloc(0));

/** The parts of a certificate a SignerInfo points at, taken raw from its DER. */
export function certificateParts(cert: Uint8Array): { issuer: Buffer; serial: Buffer; subject: Buffer } {
  const parsed = asn1js.fromBER(cert);
  if (parsed.offset === -1) throw new Error('certificate is not DER');
  const tbs = (parsed.result as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
  const fields = tbs.valueBlock.value;
  const i = fields[0].idBlock.tagClass === 3 ? 1 : 0; // [0] version present
  const raw = (x: asn1js.AsnType) => Buffer.from(x.valueBeforeDecodeView);
  return { serial: raw(fields[i]), issuer: raw(fields[i + 2]), subject: raw(fields[i + 4]) };
}

/** Second precision: UTCTime carries no fractions, and the appearance shows seconds. */
export const toSecond = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000);

/**
 * The signed attributes as a DER SET (tag 0x31, the form that is hashed and signed):
 * contentType, signingTime, messageDigest, signingCertificateV2 (ESSCertIDv2 with issuerSerial).
 */
export function signedAttributes(o: { contentDigest: Uint8Array; signingTime: Date; certificate: Uint8Array }): Buffer {
  const { issuer, serial } = certificateParts(o.certificate);
  const attribute = (type: string, value: Uint8Array) => der(0x30, oid(type), der(0x31, value));
  const essCertIdV2 = der(
    0x30,
    octets(sha256(o.certificate)),
    der(0x30, der(0x30, der(0xa4, issuer)), serial), // issuerSerial: GeneralNames { directoryName [4] }, serial
  );
  const attrs = [
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.signingTime, ber(new asn1js.UTCTime({ valueDate: toSecond(o.signingTime) }))),
    attribute(OID.messageDigest, octets(o.contentDigest)),
    attribute(OID.signingCertificateV2, der(0x30, der(0x30, essCertIdV2))),
  ].sort(Buffer.compare); // DER orders a SET OF by encoding
  return der(0x31, ...attrs);
}

/**
 * ContentInfo(SignedData) for a detached signature: the chain as certificates, one SignerInfo
 * whose signed attributes are `signedAttrs` (re-tagged [0] IMPLICIT) and whose signature is the
 * provider's raw answer (PKCS#1 v1.5 bytes, or a DER ECDSA-Sig-Value).
 */
export function signedData(o: {
  signedAttrs: Uint8Array;
  signature: Uint8Array;
  chain: Uint8Array[];
  algorithm: SignatureAlgorithm;
}): Buffer {
  const { issuer, serial } = certificateParts(o.chain[0]);
  const attrs = Buffer.from(o.signedAttrs);
  attrs[0] = 0xa0;
  const sigAlg = o.algorithm === 'ECDSA_SHA_256' ? algorithm(OID.ecdsaWithSha256, false) : algorithm(OID.rsaEncryption, true);
  const signerInfo = der(
    0x30,
    der(0x02, Buffer.from([1])),
    der(0x30, issuer, serial),
    algorithm(OID.sha256, true),
    attrs,
    sigAlg,
    octets(o.signature),
  );
  const content = der(
    0x30,
    der(0x02, Buffer.from([1])),
    der(0x31, algorithm(OID.sha256, true)),
    der(0x30, oid(OID.data)),
    der(0xa0, ...o.chain),
    der(0x31, signerInfo),
  );
  return der(0x30, oid(OID.signedData), der(0xa0, content));
}

/**
 * The first DER element of `buf`, by its own length: /Contents is zero-padded, and a DER value
 * may itself end in zero bytes, so trimming zeros would cut it.
 */
export function firstDerElement(buf: Buffer): Buffer | undefined {
  if (buf.length < 2) return undefined;
  let len = buf[1];
  let head = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || buf.length < 2 + n) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[2 + i];
    head = 2 + n;
  }
  return head + len <= buf.length ? buf.subarray(0, head + len) : undefined;
}

/** Room for the SignedData in /Contents: chain + attributes + a 4096-bit signature + margin. */
export function reservedContentsBytes(chain: Uint8Array[]): number {
  const certs = chain.reduce((n, c) => n + c.length, 0);
  return certs + 2048 + 512 + 2048;
}
