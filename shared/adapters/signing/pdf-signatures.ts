import type { PdfSignatures } from '../../features/signing/ports';

/*
 * The PDF renderer (pdfkit, fontkit) and PAdES (pkijs, asn1js) are loaded on first use: the api
 * function carries this port for a few routes, and its cold start should not pay for them
 * (docs/adr/0046-operable-on-aws.md §4).
 */
const render = () => Promise.all([import('../../document/build'), import('../../pdf/render')]);
const pades = () => import('../../signing/pades');

/**
 * The signing slice's PDF port over shared/pdf (the final PDF from the document model) and
 * shared/signing (PAdES in two halves; the prepared PDF and its state travel as one serialized blob).
 */
export const padesSignatures: PdfSignatures = {
  async renderFinal(input) {
    const [{ buildDocument }, { renderPdf }] = await render();
    const rendered = await renderPdf(buildDocument(input));
    return { pdf: rendered.pdf, signatureBox: rendered.signatureBox };
  },
  async prepare(pdf, o) {
    if (!o.image) throw new Error(o.appearance === 'person' ? 'Chưa có ảnh chữ ký của người ký.' : 'Chưa có ảnh con dấu của cơ quan.');
    const { preparePdfSignature, serializePrepared } = await pades();
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
    const { completePdfSignature, deserializePrepared } = await pades();
    return completePdfSignature(deserializePrepared(state.toString('utf8')), signature, credential);
  },
  // A file that cannot be checked at all has no valid signature: the callers' count check refuses it.
  async verify(pdf, trustedRoots) {
    const { verifyPdf } = await import('../../signing/verify');
    return (await verifyPdf(pdf, { trustedRoots })).signatures;
  },
};
