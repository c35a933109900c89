import { buildDocument } from '../../document/build';
import type { PdfSignatures } from '../../features/signing/ports';
import { renderPdf } from '../../pdf/render';
import { completePdfSignature, deserializePrepared, preparePdfSignature, serializePrepared } from '../../signing/pades';
import { verifyPdf } from '../../signing/verify';

/**
 * The signing slice's PDF port over shared/pdf (the final PDF from the document model) and
 * shared/signing (PAdES in two halves; the prepared PDF and its state travel as one serialized blob).
 */
export const padesSignatures: PdfSignatures = {
  async renderFinal(input) {
    const rendered = await renderPdf(buildDocument(input));
    return { pdf: rendered.pdf, signatureBox: rendered.signatureBox };
  },
  async prepare(pdf, o) {
    if (!o.image) throw new Error(o.appearance === 'person' ? 'Chưa có ảnh chữ ký của người ký.' : 'Chưa có ảnh con dấu của cơ quan.');
    const image = Buffer.from(o.image);
    const prepared = await preparePdfSignature(pdf, {
      appearance: o.appearance === 'person' ? { kind: 'person', box: o.box, image } : { kind: 'organization', box: o.box, seal: image },
      credential: o.credential,
      signingTime: o.signingTime,
      signerName: o.signerName,
      reason: o.reason,
    });
    return { digest: prepared.digest, state: Buffer.from(serializePrepared(prepared), 'utf8') };
  },
  async complete(state, signature, credential) {
    return completePdfSignature(deserializePrepared(state.toString('utf8')), signature, credential);
  },
  // A file that cannot be checked at all has no valid signature: the callers' count check refuses it.
  verify: async (pdf, trustedRoots) => (await verifyPdf(pdf, { trustedRoots })).signatures,
};
