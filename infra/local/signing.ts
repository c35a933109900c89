/**
 * The sample organization as `npm start` and the demo run it: signing with the local test CA
 * (docs/adr/0043-signing-flow.md). The competent person is the last approver and confirms each
 * signature on the local stand-in for their phone (/_local/sign, `confirm` mode); the văn thư's
 * organization certificate signs at once when they press the button. Recipients also get the
 * editable .docx. Tests that do not sign keep the bundled document as it is.
 */
import bundledOrganizationDocument from '../../shared/config/organization.json' with { type: 'json' };
import { type MaterialDeps, putSigningImage } from '../../shared/features/signing/material';
import { sampleSealImage, sampleSignatureImage } from '../../shared/signing/sample-images';

type OrgDocument = typeof bundledOrganizationDocument;

/**
 * `mode`: whether the person confirms on the local phone; `sealMode`: whether the organization's
 * signature waits for a confirmation too (as a remote service's does on the organization's device).
 */
export function withLocalSigning(
  doc: OrgDocument = bundledOrganizationDocument,
  mode: 'confirm' | 'auto' = 'confirm',
  sealMode: 'confirm' | 'auto' = 'auto',
) {
  const last = doc.approvalChain.at(-1)!.approvers[0];
  return {
    ...doc,
    signing: {
      signer: { id: 'nguoi-ky', name: doc.signature.signer ?? last.name, email: last.email, provider: { provider: 'local', mode } },
      organization: { provider: { provider: 'local', mode: sealMode } },
    },
    release: { attachDocx: true },
  };
}

/**
 * Stores the local test CA's sample signature and seal images as the signing material of the
 * organizations just seeded that sign: `npm start` and the demo exercise the same path (validation,
 * encrypted object, fingerprint in the document) as `baocao org signing put-image`.
 */
export async function seedSampleSigningImages(deps: MaterialDeps, seededIds: string[], documents: unknown[]) {
  type Doc = { signing?: { signer: { id: string; provider: { provider: string } }; organization: { provider: { provider: string } } } };
  for (const id of seededIds) {
    const signing = (documents.find((d) => (d as { id?: unknown }).id === id) as Doc | undefined)?.signing;
    // Sample images are the local test CA's: never stored for a signer with a real provider.
    if (signing?.signer.provider.provider === 'local') {
      const owner = { kind: 'person' as const, personId: signing.signer.id };
      await putSigningImage(deps, { orgId: id, owner, png: Buffer.from(sampleSignatureImage()), by: 'local' });
    }
    if (signing?.organization.provider.provider === 'local') {
      await putSigningImage(deps, { orgId: id, owner: { kind: 'organization' }, png: Buffer.from(sampleSealImage()), by: 'local' });
    }
  }
}
