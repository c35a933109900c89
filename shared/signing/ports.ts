/**
 * Signing providers behind one port (issue 16).
 *
 * A provider signs a digest it is given and never hands out a private key: the Vietnamese CAs'
 * remote-signing services (Cloud Signature Consortium shape: the person confirms on their
 * phone, the client polls), AWS KMS (test, staging, integrity seal) and the local test CA that
 * `npm start`, the demo and the tests use. The PAdES container (CMS SignedData, incremental
 * update) is built by shared/signing from the raw signature a provider returns, so every
 * provider yields the same kind of PDF signature.
 */

/** Who a key belongs to: a competent person of an organization, or the organization itself (its seal). */
export type SignerRef = { kind: 'person'; organizationId: string; personId: string } | { kind: 'organization'; organizationId: string };

export type SignatureAlgorithm = 'RSASSA_PKCS1_V1_5_SHA_256' | 'ECDSA_SHA_256';

export interface SignatureRequest {
  /** Stable id of this request (report, draft version, step): a retried step asks again with the same id. */
  requestId: string;
  /** SHA-256 of the DER-encoded signed attributes of the CMS SignedData. */
  digest: Uint8Array;
  /** Shown to the person on their device ("Ký báo cáo số 01/BC-SCT …"). */
  description: string;
}

export type SignatureOutcome =
  | { status: 'signed'; signature: Uint8Array }
  /** The person must confirm on their own device; poll again with the transaction id. */
  | { status: 'pending'; transactionId: string; expiresAt: string }
  | { status: 'rejected'; reason: string }
  | { status: 'expired' };

export interface SigningCredential {
  algorithm: SignatureAlgorithm;
  /** DER certificates, the signer's first, then its issuers (room in /Contents is reserved for all). */
  chain: Uint8Array[];
  /** True for the local test CA and KMS test keys: the document must never be presented as legally signed. */
  testOnly: boolean;
}

export interface SigningProvider {
  readonly kind: 'local' | 'kms' | 'remote';
  credential(signer: SignerRef): Promise<SigningCredential>;
  requestSignature(signer: SignerRef, request: SignatureRequest): Promise<SignatureOutcome>;
  pollSignature(signer: SignerRef, transactionId: string): Promise<SignatureOutcome>;
}

/** The result of checking every signature of a PDF (baocao verify, the recipient's page, the release guard). */
export interface VerifiedSignature {
  /** Subject common name and organization of the signing certificate. */
  signerName: string;
  organization?: string;
  issuer: string;
  serialNumber: string;
  /** The signing time inside the signature (ISO 8601, Vietnam time). */
  signedAt: string;
  /** The bytes it covers are unchanged since it was made. */
  intact: boolean;
  /** It covers the whole file as it was at that revision, and only incremental updates follow. */
  coversRevision: boolean;
  /** Chains to a trusted root (the configured roots, or the local test root where that is trusted). */
  trusted: boolean;
  testOnly: boolean;
  /** What is wrong, in Vietnamese, when a check fails (empty when all is well). */
  problems: string[];
}
