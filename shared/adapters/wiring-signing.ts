/**
 * Imported (for its effect) by every handler that renders or signs PDFs (FUNCTION_PROFILES
 * rendersPdf): it puts the signing adapters behind the wiring's SigningKeys and PdfSignatures
 * (see ./signing-registry.ts). Part of the wiring, like ./wiring-mail.ts.
 */

import { signingKeys } from './signing/keys';
import { padesSignatures } from './signing/pdf-signatures';
import { registerSigning } from './signing-registry';

registerSigning({ keys: signingKeys, pades: padesSignatures });
