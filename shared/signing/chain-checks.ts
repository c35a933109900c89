/**
 * Checks of a certificate chain before it becomes organization data (issue 16): it must parse, be
 * valid now and allow signing. Apart from ./material-checks.ts so that @peculiar/x509 is loaded
 * (import()) only where a chain is read or stored, not at every api cold start.
 */
import { webcrypto } from 'node:crypto';
import './reflect-shim';
import * as x509 from '@peculiar/x509';
import type { CheckResult } from './material-checks';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export interface ChainFacts {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** DER certificates, the signer's first. */
  der: Uint8Array[];
}

/** PEM (one or more certificates) or one DER certificate. */
export function parseCertificates(data: Buffer): x509.X509Certificate[] {
  const text = data.toString('latin1');
  if (text.includes('-----BEGIN CERTIFICATE-----')) {
    const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    return blocks.map((b) => new x509.X509Certificate(b));
  }
  return [new x509.X509Certificate(new Uint8Array(data))];
}

const DIGITAL_SIGNATURE = 1;
const NON_REPUDIATION = 2;

/** A certificate chain for a signer whose provider keeps no certificates (KMS). `name` is who it should name. */
export function checkChain(data: Buffer, field: string, name: string, now: Date): CheckResult<ChainFacts> {
  const label = `Chuỗi chứng thư số (${field})`;
  let certs: x509.X509Certificate[];
  try {
    certs = parseCertificates(data);
  } catch {
    return { errors: [`${label}: không đọc được chứng thư số (cần PEM hoặc DER X.509).`], warnings: [] };
  }
  if (!certs.length) return { errors: [`${label}: tệp không có chứng thư số nào.`], warnings: [] };
  const errors: string[] = [];
  const warnings: string[] = [];
  const leaf = certs[0];
  for (const c of certs) {
    if (c.notAfter < now) errors.push(`${label}: chứng thư "${c.subject}" đã hết hạn ngày ${c.notAfter.toISOString().slice(0, 10)}.`);
    else if (c.notBefore > now) errors.push(`${label}: chứng thư "${c.subject}" chưa có hiệu lực.`);
  }
  const ku = leaf.getExtension(x509.KeyUsagesExtension);
  if (!ku || !(ku.usages & (DIGITAL_SIGNATURE | NON_REPUDIATION))) {
    errors.push(`${label}: chứng thư của người ký không cho phép ký số (cần digitalSignature hoặc nonRepudiation).`);
  }
  const norm = (s: string) => s.normalize('NFC').toLocaleLowerCase('vi');
  if (!norm(leaf.subject).includes(norm(name))) warnings.push(`${label}: chủ thể "${leaf.subject}" không ghi tên "${name}".`);
  for (let i = 1; i < certs.length; i++) {
    if (certs[i - 1].issuer !== certs[i].subject) warnings.push(`${label}: chứng thư thứ ${i + 1} không phải nơi cấp của chứng thư trước.`);
  }
  return {
    facts: {
      subject: leaf.subject,
      issuer: leaf.issuer,
      serialNumber: leaf.serialNumber,
      notBefore: leaf.notBefore.toISOString(),
      notAfter: leaf.notAfter.toISOString(),
      der: certs.map((c) => new Uint8Array(c.rawData)),
    },
    errors,
    warnings,
  };
}
