import { ForbiddenError } from '../../errors';
import { actingUser, json, type Request, type Route } from '../../http/router';
import { getOrganization, listOrganizations, parseStoredOrganization, putOrganization } from './organizations';
import { organizationListPage, organizationPage } from './pages';
import type { Organization, OrganizationsDeps } from './ports';

/**
 * The org routes see the request's organization (`organization`): on a page it is the signed-in
 * compiler's, who may read only their own; under /api (IAM: the deployment's operators) any.
 */
export type OrganizationRouteDeps = OrganizationsDeps & { organization: Organization };

function mayRead(deps: OrganizationRouteDeps, req: Request, id: string) {
  if (!req.isApi && deps.organization.id !== id) throw new ForbiddenError('Bạn không có quyền xem cấu hình của tổ chức khác.');
}

export const organizationRoutes: Route<OrganizationRouteDeps>[] = [
  {
    method: 'GET',
    path: '/orgs',
    surface: 'operator',
    async handle(deps, req) {
      const all = await listOrganizations(deps);
      const visible = req.isApi ? all : all.filter((o) => o.id === deps.organization.id);
      return req.isApi ? json(200, { organizations: visible }) : organizationListPage(visible);
    },
  },
  {
    method: 'GET',
    path: '/orgs/:org',
    surface: 'operator',
    async handle(deps, req) {
      mayRead(deps, req, req.params.org);
      const rec = await getOrganization(deps, req.params.org);
      return req.isApi ? json(200, rec) : organizationPage(rec, parseStoredOrganization(rec));
    },
  },
  {
    method: 'PUT',
    path: '/orgs/:org',
    surface: 'operator',
    async handle(deps, req) {
      // Read-only in the web UI: the document changes through the API (IAM) and the CLI.
      if (!req.isApi) throw new ForbiddenError('Cấu hình tổ chức chỉ được thay đổi qua giao diện lập trình (baocao org put).');
      const body = req.json() as { document?: unknown; expectedVersion?: unknown; by?: unknown } | undefined;
      const document = body && typeof body === 'object' && 'document' in body ? body.document : body;
      const expectedVersion = typeof body?.expectedVersion === 'number' ? body.expectedVersion : undefined;
      const saved = await putOrganization(deps, { id: req.params.org, document, by: actingUser(deps, req, body?.by), expectedVersion });
      return json(200, saved);
    },
  },
];
