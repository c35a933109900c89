import type { Organization } from '../../config/schema';
import type { RenderInput } from '../../docx/render';
import type { ReportTemplate } from '../../domain/template';
import type { AuditLog, BlobStore, Clock, DeskStore, Mailer, RegisterStore, ReportStore, SignatureBox, Workflow } from '../../ports';
import type { SignerRef, SigningCredential, SigningProvider, VerifiedSignature } from '../../signing/ports';

/** The final PDF of a report, number and issue date printed, and the blank space of its signature block. */
export interface RenderedFinalPdf {
  pdf: Buffer;
  signatureBox: SignatureBox;
}

export interface PrepareSignatureOptions {
  /** person: the signature image centred in `box`; organization: the seal over the left third of `box`. */
  appearance: 'person' | 'organization';
  credential: SigningCredential;
  box: SignatureBox;
  /** PNG with transparency; absent: a text appearance only. */
  image?: Uint8Array;
  /** The time written in the signature and shown in its appearance. */
  signingTime: Date;
  /** Shown in the appearance ("Ký bởi: …"). */
  signerName: string;
  reason: string;
}

/**
 * PAdES through shared/signing (incremental updates, CMS built from the provider's raw signature).
 * `prepare` answers the digest to sign and an opaque state the caller keeps (in the blob store)
 * while the person confirms on their device, possibly in another Lambda minutes later.
 */
export interface PdfSignatures {
  renderFinal(input: RenderInput): Promise<RenderedFinalPdf>;
  prepare(pdf: Buffer, o: PrepareSignatureOptions): Promise<{ digest: Uint8Array; state: Buffer }>;
  complete(state: Buffer, signature: Uint8Array, credential: SigningCredential): Promise<Buffer>;
  verify(pdf: Buffer, trustedRoots: Uint8Array[]): Promise<VerifiedSignature[]>;
}

/** Which provider holds a signer's key, their signature (or seal) image, and the roots a signature must chain to. */
export interface SigningKeys {
  provider(signer: SignerRef): SigningProvider;
  image(signer: SignerRef): Promise<Uint8Array | undefined>;
  trustedRoots(): Promise<Uint8Array[]>;
}

/** The PDFs of a report in the course of signing (keys built by the adapter, shared/adapters/aws/). */
/** The person's prepared requests, the PDF they signed, the organization's prepared request, the sealed original. */
export type SigningFileName = 'signer' | 'sealed' | `prepared-${number}` | 'seal-prepared';
export interface SigningFiles {
  putSigningFile(reportId: string, name: SigningFileName, body: Buffer, contentType: string): Promise<void>;
  getSigningFile(reportId: string, name: SigningFileName): Promise<Buffer>;
  /** A short presigned GET of a signing file (the văn thư's page shows the PDF the person signed). */
  presignSigningFile(reportId: string, name: SigningFileName, seconds: number, downloadName: string): Promise<string>;
}

export interface SigningDeps {
  repo: Pick<ReportStore, 'getReport' | 'updateReport'> & Pick<AuditLog, 'appendReportAudit'>;
  register: RegisterStore;
  files: SigningFiles;
  /** The approved draft's report (desk edits applied) or the aggregated figures: what the final PDF prints. */
  blobs: Pick<BlobStore, 'get'>;
  desk: Pick<DeskStore, 'getDraftReport'>;
  pades: PdfSignatures;
  keys: SigningKeys;
  mailer: Mailer;
  workflow: Pick<Workflow, 'succeed' | 'fail'>;
  template: ReportTemplate;
  organization: Organization;
  baseUrl: string;
  now: Clock;
  /** The local system: signing mails carry the link of the local stand-in for the person's phone. */
  local?: boolean;
}

/** Thrown when a PDF's signatures do not all verify: such a file is never released. */
export const SIGNATURE_INVALID_ERROR = 'SignatureInvalid';

/** Whose signing material: a competent person (by the id of their key) or the organization (its seal). */
export type MaterialOwner = { kind: 'person'; personId: string } | { kind: 'organization' };
export type MaterialKind = 'image' | 'chain';

/**
 * Signing material as objects of the organization, encrypted at rest (keys and encryption in the
 * adapter, shared/adapters/aws/). Objects are named by their SHA-256: a new upload never overwrites
 * the one the organization's current document points to.
 */
export interface SigningMaterialStore {
  put(orgId: string, owner: MaterialOwner, kind: MaterialKind, sha256: string, body: Buffer): Promise<void>;
  /** undefined when there is no such object. */
  get(orgId: string, owner: MaterialOwner, kind: MaterialKind, sha256: string): Promise<Buffer | undefined>;
}
