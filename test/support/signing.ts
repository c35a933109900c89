/** Shared by the signing tests: a pdfkit report to sign, the local CA and its two signers. */
import { createPrivateKey, sign } from 'node:crypto';
import PDFDocument from 'pdfkit';
import { type Box, resolveSerifFont } from '../../shared/signing/appearance';
import { createLocalCa, type LocalCa, type LocalSignerKey, signDigest } from '../../shared/signing/local-ca';
import { completePdfSignature, type PreparedSignature, type PrepareOptions, preparePdfSignature } from '../../shared/signing/pades';
import type { SignerRef, SigningCredential } from '../../shared/signing/ports';

export const PERSON: SignerRef = { kind: 'person', organizationId: 'so-cong-thuong-dong-nai', personId: 'pgd' };
export const ORGANIZATION: SignerRef = { kind: 'organization', organizationId: 'so-cong-thuong-dong-nai' };
/** The signature box on page 2, between the signer's title and name. */
export const SIGNATURE_BOX: Box = { page: 1, x: 330, y: 480, width: 180, height: 64 };

/** A two-page report drawn by pdfkit (classic xref, like the product's PDF renderer). */
export async function makeReportPdf(): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: 'Báo cáo thử nghiệm' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((r) => doc.on('end', () => r(Buffer.concat(chunks))));
  doc.registerFont('serif', resolveSerifFont());
  doc.font('serif').fontSize(13).text('BÁO CÁO Kết quả công tác cải cách hành chính quý I năm 2021');
  doc.addPage().text('KT. GIÁM ĐỐC', 330, 440).text('PHÓ GIÁM ĐỐC').moveDown(5).text('Nguyễn Văn An');
  doc.end();
  return done;
}

export interface TestSigners {
  ca: LocalCa;
  person: LocalSignerKey;
  organization: LocalSignerKey;
}

export async function makeSigners(): Promise<TestSigners> {
  const ca = await createLocalCa();
  return {
    ca,
    person: await ca.signer(PERSON, {
      commonName: 'Nguyễn Văn An',
      title: 'PHÓ GIÁM ĐỐC',
      organization: 'Sở Công Thương',
      locality: 'Đồng Nai',
    }),
    organization: await ca.signer(ORGANIZATION, { commonName: 'Sở Công Thương', organization: 'UBND TỈNH ĐỒNG NAI', locality: 'Đồng Nai' }),
  };
}

export const credentialOf = (key: LocalSignerKey): SigningCredential => ({
  algorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
  chain: key.chain,
  testOnly: true,
});

/** Prepare, sign with the local key, complete. */
export async function signWith(pdf: Buffer, key: LocalSignerKey, o: Omit<PrepareOptions, 'credential'>): Promise<Buffer> {
  const credential = credentialOf(key);
  const prepared = await preparePdfSignature(pdf, { ...o, credential });
  return completePdfSignature(prepared, await signDigest(key.key, prepared.digest), credential);
}

/** A self-signed P-256 signer (as a remote CA service may hold), signing like such a service: DER ECDSA over the digest. */
export async function makeEcdsaSigner(): Promise<{ credential: SigningCredential; sign(prepared: PreparedSignature): Uint8Array }> {
  // local-ca (imported above) installs the Reflect shim @peculiar/x509 needs before it loads.
  const x509 = await import('@peculiar/x509');
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await crypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=Trần Thị Bình, O=Sở Tư pháp, C=VN',
    keys,
    signingAlgorithm: alg,
    notBefore: new Date(Date.now() - 86_400_000),
    extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true)],
  });
  const key = createPrivateKey({ key: Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey)), format: 'der', type: 'pkcs8' });
  return {
    credential: { algorithm: 'ECDSA_SHA_256', chain: [new Uint8Array(cert.rawData)], testOnly: false },
    // Signing the attributes with SHA-256 is signing their digest, which is what the service gets.
    sign: (prepared) => sign('sha256', Buffer.from(prepared.state.signedAttributes, 'base64'), { key, dsaEncoding: 'der' }),
  };
}

/** Flips one bit inside the first page's content stream (part of the first revision). */
export function changeOneByte(pdf: Buffer): Buffer {
  const copy = Buffer.from(pdf);
  const at = copy.indexOf('stream', copy.indexOf('/Contents'), 'latin1') + 12;
  copy[at] ^= 0x01;
  return copy;
}
