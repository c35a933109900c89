import type { SignerRef } from '../../signing/ports';
import type { SigningDeps } from './ports';

/** The organization's competent signer (one per organization: `signing.signer`). */
export const personRef = (deps: Pick<SigningDeps, 'organization'>): SignerRef => ({
  kind: 'person',
  organizationId: deps.organization.id,
  personId: deps.organization.signing?.signer.id ?? 'signer',
});

/** The organization itself: its seal (the văn thư's step). */
export const organizationRef = (deps: Pick<SigningDeps, 'organization'>): SignerRef => ({
  kind: 'organization',
  organizationId: deps.organization.id,
});
