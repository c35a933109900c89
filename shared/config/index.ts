import raw from './organization.json' with { type: 'json' };
import { type Organization, parseOrganization } from './schema';

/** The deployment's organization, bundled into every Lambda and validated once at cold start. */
export const organization: Organization = parseOrganization(raw);

export function divisionById(id: string) {
  return organization.divisions.find((d) => d.id === id);
}
