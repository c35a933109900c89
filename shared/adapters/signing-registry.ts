import type { Organization } from '../config/schema';
import type { PdfSignatures, SigningKeys, SigningMaterialStore } from '../features/signing/ports';

/** Where the local test CA lives, and the organization's stored signing material (images, chains). */
export interface SigningOptions {
  dir?: string;
  material?: SigningMaterialStore;
}

/** What the signing adapters provide (shared/adapters/signing/: keys.ts, pdf-signatures.ts). */
export interface SigningAdapters {
  keys(org: Organization, opts: SigningOptions): SigningKeys;
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

/**
 * The registered adapters for one organization. Built at once when registered (the local
 * provider learns the organization's signers then); otherwise looked up on first use — in the
 * local runtime every handler shares one process and its cached dependencies, and a signing
 * handler may register after they were built — and without any, ports that say what is missing.
 */
export function registeredSigning(org: Organization, opts: SigningOptions): { keys: SigningKeys; pades: PdfSignatures } {
  if (adapters) return { keys: adapters.keys(org, opts), pades: adapters.pades };
  let keys: SigningKeys | undefined;
  const registered = (): SigningAdapters => {
    if (!adapters) throw missing();
    return adapters;
  };
  const k = () => {
    keys ??= registered().keys(org, opts);
    return keys;
  };
  const p = () => registered().pades;
  return {
    keys: {
      provider: (ref) => k().provider(ref),
      image: async (ref) => k().image(ref),
      trustedRoots: async () => k().trustedRoots(),
    },
    pades: {
      renderFinal: async (input) => p().renderFinal(input),
      prepare: async (pdf, o) => p().prepare(pdf, o),
      complete: async (state, signature, credential) => p().complete(state, signature, credential),
      verify: async (pdf, roots) => p().verify(pdf, roots),
    },
  };
}
