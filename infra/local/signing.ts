/**
 * The sample organization as `npm start` and the demo run it: signing with the local test CA
 * (docs/adr/0043-signing-flow.md). The competent person is the last approver and confirms each
 * signature on the local stand-in for their phone (/_local/sign, `confirm` mode); the văn thư's
 * organization certificate signs at once when they press the button. Recipients also get the
 * editable .docx. Tests that do not sign keep the bundled document as it is.
 */
import bundledOrganizationDocument from '../../shared/config/organization.json' with { type: 'json' };

type OrgDocument = typeof bundledOrganizationDocument;

export function withLocalSigning(doc: OrgDocument = bundledOrganizationDocument, mode: 'confirm' | 'auto' = 'confirm') {
  const last = doc.approvalChain.at(-1)!.approvers[0];
  return {
    ...doc,
    signing: {
      signer: { id: 'nguoi-ky', name: doc.signature.signer ?? last.name, email: last.email, provider: { provider: 'local', mode } },
      organization: { provider: { provider: 'local', mode: 'auto' } },
    },
    release: { attachDocx: true },
  };
}
