import type { Organization } from '../config/schema';
import type { PdfSignatures, SigningKeys } from '../features/signing/ports';

/** What the signing adapters provide (shared/adapters/signing/: keys.ts, pdf-signatures.ts). */
export interface SigningAdapters {
  keys(org: Organization, opts: { dir?: string }): SigningKeys;
  pades: PdfSignatures;
}

let adapters: SigningAdapters | undefined;

/**
 * The signing adapters (PAdES, the PDF renderer, the local test CA, KMS and the remote service:
 * pdfkit, fontkit, pkijs, asn1js, @peculiar/x509) are reached only by the handlers that render
 * or sign PDFs: they import `shared/adapters/wiring-signing.ts`, which registers them here. Every
 * other bundle leaves them out (docs/adr/0046-operable-on-aws.md; a unit test keeps these
 * imports equal to FUNCTION_PROFILES.rendersPdf, which also ships the PDF fonts).
 */
export function registerSigning(a: SigningAdapters): void {
  adapters = a;
}

const missing = () =>
  new Error(
    `${process.env.HANDLER_NAME ?? 'This handler'} does not sign: import shared/adapters/wiring-signing in it and set rendersPdf in FUNCTION_PROFILES`,
  );

/** The registered adapters for one organization; without them, ports that say what is missing when used. */
export function registeredSigning(org: Organization, opts: { dir?: string }): { keys: SigningKeys; pades: PdfSignatures } {
  if (adapters) return { keys: adapters.keys(org, opts), pades: adapters.pades };
  const fail = async (): Promise<never> => {
    throw missing();
  };
  return {
    keys: {
      provider() {
        throw missing();
      },
      image: fail,
      trustedRoots: fail,
    },
    pades: { renderFinal: fail, prepare: fail, complete: fail, verify: fail },
  };
}
