/**
 * PAdES signatures (ETSI EN 319 142 baseline B, `ETSI.CAdES.detached`) in two halves, because a
 * person confirms on their phone minutes after the request, maybe in another Lambda:
 *   prepare  → incremental update with the field, its visible appearance and a zero-filled
 *              /Contents; the signed attributes and the digest a provider must sign;
 *   complete → the CMS SignedData around the provider's raw signature, written into /Contents.
 * The prepared PDF and a small JSON state travel between the two (store the PDF as a blob, the
 * state in the workflow), or both in one string through serializePrepared/deserializePrepared.
 */
import { appearanceFor, type SignatureAppearance } from './appearance-layout';
import { reservedContentsBytes, sha256, signedAttributes, signedData, toSecond } from './cms';
import { SigningError } from './errors';
import { addSignatureField, fieldNames } from './incremental';
import { PdfFile } from './pdf-objects';
import type { SignatureRequest, SignerRef, SigningCredential, SigningProvider } from './ports';

export type { Box } from './appearance';
export type { SignatureAppearance } from './appearance-layout';

export interface PrepareOptions {
  appearance: SignatureAppearance;
  /** The signer's credential: its chain sizes /Contents, its first certificate goes into signingCertificateV2. */
  credential: SigningCredential;
  /** Shown in the appearance (attachments) and put in the signature; whole seconds. Default: now. */
  signingTime?: Date;
  /** /Name of the signature dictionary (default: the signer certificate's common name is what readers show). */
  signerName?: string;
  /** /Reason, e.g. "Ký ban hành báo cáo số 05/BC-SCT". */
  reason?: string;
}

/** Plain JSON: what `complete` needs besides the prepared PDF bytes. */
export interface PreparedState {
  version: 1;
  byteRange: [number, number, number, number];
  /** SHA-256 (hex) of the prepared PDF, to refuse completing a different file. */
  pdfSha256: string;
  /** DER SET of the signed attributes (base64): embedded exactly as signed. */
  signedAttributes: string;
  /** SHA-256 of signedAttributes (base64): what the provider signs. */
  digest: string;
  /** ISO 8601 Vietnam time, as shown and as inside the signature. */
  signingTime: string;
  fieldName: string;
  testOnly: boolean;
}

export interface PreparedSignature {
  /** The PDF with the new field and an empty /Contents: not yet a valid signature. */
  pdf: Buffer;
  state: PreparedState;
  /** SHA-256 of the DER signed attributes: send it to the provider (SignatureRequest.digest). */
  digest: Uint8Array;
}

/** 2026-01-05T14:30:15+07:00 — an instant in Vietnam time (UTC+7, no daylight saving). */
export function vietnamIso(d: Date): string {
  return `${new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 19)}+07:00`;
}

export async function preparePdfSignature(pdf: Buffer, o: PrepareOptions): Promise<PreparedSignature> {
  if (o.credential.chain.length === 0) throw new SigningError('provider-config', 'Chứng thư số của người ký chưa được cấu hình.', 500);
  const signingTime = toSecond(o.signingTime ?? new Date());
  const file = new PdfFile(pdf);
  const existing = fieldNames(file).length;
  const fieldName = `ChuKy${existing + 1}-${o.appearance.kind}`;
  const { rect, pageIndex, drawing } = await appearanceFor(file, o.appearance, vietnamIso(signingTime), o.credential.testOnly);
  const { pdf: prepared, byteRange } = addSignatureField(pdf, {
    pageIndex,
    rect,
    appearance: drawing,
    fieldName,
    info: { name: o.signerName ?? '', reason: o.reason ?? '', signingTime },
    contentsBytes: reservedContentsBytes(o.credential.chain),
  });
  const contentDigest = sha256(prepared.subarray(0, byteRange[1]), prepared.subarray(byteRange[2]));
  const attrs = signedAttributes({ contentDigest, signingTime, certificate: o.credential.chain[0] });
  const digest = sha256(attrs);
  return {
    pdf: prepared,
    digest,
    state: {
      version: 1,
      byteRange,
      pdfSha256: sha256(prepared).toString('hex'),
      signedAttributes: attrs.toString('base64'),
      digest: digest.toString('base64'),
      signingTime: vietnamIso(signingTime),
      fieldName,
      testOnly: o.credential.testOnly,
    },
  };
}

/** Rebuilds a PreparedSignature from the stored PDF and state; refuses a PDF that is not the prepared one. */
export function preparedFrom(pdf: Buffer, state: PreparedState): PreparedSignature {
  if (state.version !== 1 || sha256(pdf).toString('hex') !== state.pdfSha256) {
    throw new SigningError('invalid-options', 'Tệp PDF đã chuẩn bị để ký không khớp với yêu cầu ký (tệp bị thay đổi hoặc lẫn tệp).', 409);
  }
  return { pdf, state, digest: Buffer.from(state.digest, 'base64') };
}

export function serializePrepared(p: PreparedSignature): string {
  return JSON.stringify({ state: p.state, pdf: p.pdf.toString('base64') });
}

export function deserializePrepared(text: string): PreparedSignature {
  let parsed: { state?: PreparedState; pdf?: string };
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SigningError('invalid-options', 'Dữ liệu yêu cầu ký đã lưu bị hỏng.', 500);
  }
  if (!parsed.state || typeof parsed.pdf !== 'string') throw new SigningError('invalid-options', 'Dữ liệu yêu cầu ký đã lưu bị hỏng.', 500);
  return preparedFrom(Buffer.from(parsed.pdf, 'base64'), parsed.state);
}

/** Writes the CMS SignedData built around `rawSignature` into the prepared PDF's /Contents. */
export function completePdfSignature(prepared: PreparedSignature, rawSignature: Uint8Array, credential: SigningCredential): Buffer {
  const { byteRange, signedAttributes: attrs } = prepared.state;
  if (rawSignature.length === 0) throw new SigningError('invalid-signature', 'Nhà cung cấp trả về chữ ký rỗng.', 502);
  const cms = signedData({
    signedAttrs: Buffer.from(attrs, 'base64'),
    signature: rawSignature,
    chain: credential.chain,
    algorithm: credential.algorithm,
  });
  const room = (byteRange[2] - byteRange[1] - 2) / 2;
  if (cms.length > room) {
    throw new SigningError(
      'invalid-signature',
      `Chữ ký (${cms.length} byte) vượt chỗ đã dành trong tệp (${room} byte): chuỗi chứng thư lớn hơn dự kiến.`,
      500,
    );
  }
  const out = Buffer.from(prepared.pdf);
  out.write(
    cms
      .toString('hex')
      .toUpperCase()
      .padEnd(room * 2, '0'),
    byteRange[1] + 1,
    'latin1',
  );
  return out;
}

const OUTCOME_TEXT = {
  pending: 'Nhà cung cấp chữ ký số chưa trả lời ngay (cần người ký xác nhận); hãy dùng quy trình chờ xác nhận.',
  rejected: 'Người ký đã từ chối yêu cầu ký',
  expired: 'Yêu cầu ký đã hết hạn (khoảng 5 phút) mà chưa được xác nhận.',
} as const;

/** Prepare, sign and complete in one go, for providers that answer at once (local auto mode, KMS). */
export async function signPdf(
  provider: SigningProvider,
  signer: SignerRef,
  pdf: Buffer,
  options: Omit<PrepareOptions, 'credential'> & Pick<SignatureRequest, 'requestId' | 'description'>,
): Promise<Buffer> {
  const credential = await provider.credential(signer);
  const prepared = await preparePdfSignature(pdf, { ...options, credential });
  const outcome = await provider.requestSignature(signer, {
    requestId: options.requestId,
    digest: prepared.digest,
    description: options.description,
  });
  if (outcome.status === 'signed') return completePdfSignature(prepared, outcome.signature, credential);
  const message = outcome.status === 'rejected' ? `${OUTCOME_TEXT.rejected}: ${outcome.reason}` : OUTCOME_TEXT[outcome.status];
  throw new SigningError('provider-refused', message, 409, outcome.status !== 'rejected');
}
