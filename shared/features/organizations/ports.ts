import type { Organization } from '../../config/schema';
import type { Clock } from '../../ports';

/** One organization document as stored: the JSON as written (validated before it is stored) and its version. */
export interface StoredOrganization {
  id: string;
  document: unknown;
  /** 1 for the first document; every accepted change adds one (optimistic concurrency). */
  version: number;
  updatedAt: string;
  updatedBy: string;
}

export interface OrganizationSummary {
  id: string;
  agencyName: string;
  parentBody: string;
  version: number;
  updatedAt: string;
}

/** Organizations as data, in the deployment's table; keys stay in the adapter. */
export interface OrganizationStore {
  list(): Promise<OrganizationSummary[]>;
  get(id: string): Promise<StoredOrganization | undefined>;
  /** Stores version `rec.version` only if the stored one is `rec.version - 1` (none for 1); false when another write won. */
  put(rec: StoredOrganization, summary: Pick<OrganizationSummary, 'agencyName' | 'parentBody'>): Promise<boolean>;
}

export interface OrganizationsDeps {
  organizations: OrganizationStore;
  now: Clock;
}

export type { Organization };
