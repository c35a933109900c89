import type { Organization } from '../../config/schema';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors';
import { actingUser, json, type Request, type Route, redirect } from '../../http/router';
import { type MaterialDeps, putSigningChain, putSigningImage, readMaterial, signingMaterialFacts } from './material';
import type { MaterialOwner } from './ports';

/** The routes see the request's organization (tenancy: the api resolves it, /o/<org>/ only for its own compiler). */
export type MaterialRouteDeps = MaterialDeps & { organization: Organization };

/** Request bodies that carry an image (≤ 1 MB) as base64 JSON: the api's body limit for these paths. */
export const MAX_SIGNING_MATERIAL_BODY_BYTES = 1536 * 1024;
export const isSigningMaterialPath = (segments: string[]) => segments.includes('signing') && segments.includes('material');

const ownerOf = (req: Request): MaterialOwner =>
  req.params.person ? { kind: 'person', personId: req.params.person } : { kind: 'organization' };

/** Changed only through the API (IAM, the CLI), like the organization's document. */
function bodyBytes(req: Request, field: 'png' | 'data'): Buffer {
  if (!req.isApi) throw new ForbiddenError('Dữ liệu ký số của tổ chức chỉ được thay đổi qua giao diện lập trình (baocao org signing).');
  const value = req.json()[field];
  if (typeof value !== 'string' || !value) throw new ValidationError(`Thiếu nội dung tệp (trường "${field}", base64).`);
  return Buffer.from(value, 'base64');
}

async function putImage(deps: MaterialRouteDeps, req: Request) {
  const png = bodyBytes(req, 'png');
  const saved = await putSigningImage(deps, {
    orgId: deps.organization.id,
    owner: ownerOf(req),
    png,
    by: actingUser(deps, req, req.json().by),
  });
  return json(200, saved);
}

async function putChain(deps: MaterialRouteDeps, req: Request) {
  const data = bodyBytes(req, 'data');
  const saved = await putSigningChain(deps, {
    orgId: deps.organization.id,
    owner: ownerOf(req),
    data,
    by: actingUser(deps, req, req.json().by),
  });
  return json(200, saved);
}

/** The image itself, for the organization page: never cached anywhere on the way. */
async function getImage(deps: MaterialRouteDeps, req: Request) {
  const owner = ownerOf(req);
  const png = await readMaterial(deps.material, deps.organization, owner, 'image');
  if (!png) throw new NotFoundError(owner.kind === 'person' ? 'Chưa có ảnh chữ ký của người ký.' : 'Chưa có ảnh con dấu của cơ quan.');
  return {
    statusCode: 200,
    headers: { 'content-type': 'image/png', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
    body: png.toString('base64'),
    isBase64Encoded: true,
  };
}

/** /api/orgs/:org/signing/material/… (operators) and the images shown on /orgs/:org. */
export const signingMaterialRoutes: Route<MaterialRouteDeps>[] = [
  {
    method: 'GET',
    path: '/signing/material',
    surface: 'operator',
    handle: async (deps, req) =>
      req.isApi ? json(200, signingMaterialFacts(deps.organization)) : redirect(`/orgs/${encodeURIComponent(deps.organization.id)}`),
  },
  { method: 'GET', path: '/signing/material/organization/image', surface: 'operator', handle: getImage },
  { method: 'GET', path: '/signing/material/person/:person/image', surface: 'operator', handle: getImage },
  { method: 'PUT', path: '/signing/material/organization/image', surface: 'operator', handle: putImage },
  { method: 'PUT', path: '/signing/material/person/:person/image', surface: 'operator', handle: putImage },
  { method: 'PUT', path: '/signing/material/organization/chain', surface: 'operator', handle: putChain },
  { method: 'PUT', path: '/signing/material/person/:person/chain', surface: 'operator', handle: putChain },
];
