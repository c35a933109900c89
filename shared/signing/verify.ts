/**
 * Checks every signature of a PDF the way a recipient would (baocao verify, the download page,
 * the release guard): the ByteRange covers a whole revision and only incremental updates
 * follow, the messageDigest matches the covered bytes, the CMS signature over the signed
 * attributes verifies with the signing certificate, the chain reaches a trusted root. Never
 * throws: a file that cannot be read gives `error` with a Vietnamese message.
 */
import { verify as verifySignature, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { firstDerElement, OID, sha256 } from './cms';
import { SigningError } from './errors';
import { vietnamIso } from './pades';
import { PdfFile } from './pdf-objects';
import type { VerifiedSignature } from './ports';
import { TEST_POLICY_DER } from './test-policy';

export interface PdfVerification {
  /** At least one signature, and every one intact, covering its revision and trusted. */
  ok: boolean;
  signatures: VerifiedSignature[];
  /** Set when the file itself could not be checked (not a PDF, no signature, damaged). */
  error?: { status: number; message: string };
}

export interface VerifyOptions {
  /** DER roots a chain must reach to be trusted (the configured CA roots; the local test root in development). */
  trustedRoots: Uint8Array[];
}

const BYTE_RANGE = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;

export async function verifyPdf(pdf: Buffer, o: VerifyOptions): Promise<PdfVerification> {
  const fail = (message: string, status = 422): PdfVerification => ({ ok: false, signatures: [], error: { status, message } });
  if (pdf.length < 8 || pdf.toString('latin1', 0, 5) !== '%PDF-') return fail('Tệp không phải PDF.');
  const text = pdf.toString('latin1');
  const ranges = new Map<string, number[]>();
  for (const m of text.matchAll(BYTE_RANGE)) ranges.set(m.slice(1).join(' '), m.slice(1).map(Number));
  if (ranges.size === 0) return fail('Tệp PDF không có chữ ký số nào.');
  let sections: number[] = [];
  try {
    sections = new PdfFile(pdf).sections;
  } catch {
    // A damaged cross-reference chain: each signature is still checked, none covers "its revision".
  }
  const roots = o.trustedRoots.map(parseCert).filter((c): c is X509Certificate => !!c);
  const signatures: VerifiedSignature[] = [];
  for (const br of [...ranges.values()].sort((a, b) => a[2] + a[3] - (b[2] + b[3]))) {
    signatures.push(checkOne(pdf, br, sections, roots));
  }
  const ok = signatures.every((s) => s.intact && s.coversRevision && s.trusted);
  return { ok, signatures };
}

function parseCert(der: Uint8Array): X509Certificate | undefined {
  try {
    return new X509Certificate(der);
  } catch {
    return undefined;
  }
}

const broken = (problem: string): VerifiedSignature => ({
  signerName: '(không đọc được)',
  issuer: '',
  serialNumber: '',
  signedAt: '',
  intact: false,
  coversRevision: false,
  trusted: false,
  testOnly: false,
  problems: [problem],
});

function checkOne(pdf: Buffer, br: number[], sections: number[], roots: X509Certificate[]): VerifiedSignature {
  const [start, a, b, len] = br;
  const end = b + len;
  if (start !== 0 || !(a < b) || end > pdf.length || pdf[a] !== 0x3c || pdf[b - 1] !== 0x3e) {
    return broken('Vùng ký (ByteRange) không hợp lệ.');
  }
  let signed: ReturnType<typeof parseCms>;
  try {
    const der = firstDerElement(Buffer.from(pdf.toString('latin1', a + 1, b - 1), 'hex'));
    if (!der) throw new SigningError('invalid-signature', 'Nội dung chữ ký (CMS) không hợp lệ: không phải DER.', 422);
    signed = parseCms(der);
  } catch (err) {
    return broken(err instanceof SigningError ? err.message : 'Nội dung chữ ký (CMS) không đọc được.');
  }
  const problems: string[] = [];
  const { cert, chain, signingTime, messageDigest, attrs, signature } = signed;

  // A revision ends at %%EOF and its xref section is one the newer trailers chain back to.
  const covered = pdf.subarray(0, end);
  const tail = covered.toString('latin1', Math.max(0, end - 64));
  const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  const coversRevision = !!startxref && sections.includes(Number(startxref[1]));
  if (!coversRevision) problems.push('Chữ ký không bao trọn một phiên bản của tệp (có thể đã bị chèn nội dung).');

  const digestOk = !!messageDigest && sha256(pdf.subarray(0, a), pdf.subarray(b, end)).equals(messageDigest);
  if (!digestOk) problems.push('Nội dung được ký đã bị thay đổi (mã băm không khớp).');
  let signatureOk = false;
  try {
    signatureOk = verifySignature('sha256', attrs, cert.publicKey, signature);
  } catch {
    signatureOk = false;
  }
  if (!signatureOk) problems.push('Chữ ký không khớp với chứng thư số của người ký.');

  const at = signingTime ?? new Date(Number.NaN);
  const path = chainTo(cert, chain, roots);
  if (!path.trusted) problems.push(path.problem);
  const expired = path.certs.find((c) => !(new Date(c.validFrom) <= at && at <= new Date(c.validTo)));
  if (expired) problems.push(`Chứng thư "${cn(expired.subject)}" không còn hiệu lực vào thời điểm ký.`);

  const testOnly =
    [cert, ...chain].some((c) => c.raw.includes(TEST_POLICY_DER)) || [cert, ...chain].some((c) => /thử nghiệm/i.test(c.subject));
  return {
    signerName: cn(cert.subject),
    organization: field(cert.subject, 'O'),
    issuer: cn(cert.issuer),
    serialNumber: cert.serialNumber,
    signedAt: signingTime ? vietnamIso(signingTime) : '',
    intact: digestOk && signatureOk,
    coversRevision,
    trusted: path.trusted && !expired,
    testOnly,
    problems,
  };
}

function field(dn: string, key: string): string | undefined {
  const line = dn.split('\n').find((l) => l.startsWith(`${key}=`));
  return line?.slice(key.length + 1);
}
const cn = (dn: string) => field(dn, 'CN') ?? dn.replace(/\n/g, ', ');

/** Follows issuers from the signer's certificate to a trusted root, through the embedded chain. */
function chainTo(cert: X509Certificate, chain: X509Certificate[], roots: X509Certificate[]) {
  const certs = [cert];
  let current = cert;
  for (let depth = 0; depth < 8; depth++) {
    const root = roots.find((r) => r.raw.equals(current.raw) || (current.checkIssued(r) && current.verify(r.publicKey)));
    if (root) {
      if (!root.raw.equals(current.raw)) certs.push(root);
      return { trusted: true, certs, problem: '' };
    }
    const issuer = chain.find((c) => !c.raw.equals(current.raw) && current.checkIssued(c) && current.verify(c.publicKey));
    if (!issuer) break;
    certs.push(issuer);
    current = issuer;
  }
  return { trusted: false, certs, problem: `Chứng thư của "${cn(cert.subject)}" không dẫn tới tổ chức chứng thực được tin cậy.` };
}

function parseCms(der: Buffer) {
  const bad = (what: string) => new SigningError('invalid-signature', `Nội dung chữ ký (CMS) không hợp lệ: ${what}.`, 422);
  const asn = asn1js.fromBER(der);
  if (asn.offset === -1) throw bad('không phải DER');
  const info = new pkijs.ContentInfo({ schema: asn.result });
  if (info.contentType !== OID.signedData) throw bad('không phải SignedData');
  const sd = new pkijs.SignedData({ schema: info.content });
  const si = sd.signerInfos[0];
  if (!si?.signedAttrs) throw bad('thiếu thuộc tính được ký');
  const certs = (sd.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const chain = certs.map((c) => new X509Certificate(Buffer.from(c.toSchema().toBER())));
  let cert = chain[0];
  if (si.sid instanceof pkijs.IssuerAndSerialNumber) {
    const sid = si.sid;
    const i = certs.findIndex((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber));
    if (i >= 0) cert = chain[i];
  }
  if (!cert) throw bad('thiếu chứng thư của người ký');
  const attr = (type: string) => si.signedAttrs?.attributes.find((x) => x.type === type)?.values[0];
  const md = attr(OID.messageDigest);
  const time = attr(OID.signingTime);
  const attrs = Buffer.from(si.signedAttrs.encodedValue);
  attrs[0] = 0x31; // signed as a SET, embedded as [0] IMPLICIT
  return {
    cert,
    chain,
    attrs,
    signature: Buffer.from(si.signature.valueBlock.valueHexView),
    messageDigest: md instanceof asn1js.OctetString ? Buffer.from(md.valueBlock.valueHexView) : undefined,
    signingTime: time instanceof asn1js.UTCTime || time instanceof asn1js.GeneralizedTime ? time.toDate() : undefined,
  };
}
