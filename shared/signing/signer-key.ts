import type { SignerRef } from './ports';

/** One string per signer, for configuration maps and stored files: "org/person/<id>" or "org/organization". */
export function signerKey(ref: SignerRef): string {
  return ref.kind === 'organization' ? `${ref.organizationId}/organization` : `${ref.organizationId}/person/${ref.personId}`;
}

/** How a signer is named in messages. */
export function signerLabel(ref: SignerRef): string {
  return ref.kind === 'organization' ? `tổ chức ${ref.organizationId}` : `người ký ${ref.personId} (${ref.organizationId})`;
}
