/**
 * Signing material as organization data (issue 16): the competent person's signature image, the
 * organization's seal image and, for providers that keep no certificates (KMS), certificate
 * chains. The bytes are objects of the organization (SigningMaterialStore, encrypted); its document
 * keeps only a reference with the SHA-256, so an object changed behind the document's back is refused.
 */
import type { Organization } from '../../config/schema';
import { sha256 } from '../../crypto';
import { NotFoundError, ValidationError } from '../../errors';
import { checkImage } from '../../signing/material-checks';
import { getOrganization, parseStoredOrganization, putOrganization } from '../organizations/organizations';
import type { OrganizationsDeps } from '../organizations/ports';
import type { MaterialKind, MaterialOwner, SigningMaterialStore } from './ports';

/** X.509 parsing on first use (see ../../signing/chain-checks.ts). */
const chainChecks = () => import('../../signing/chain-checks');

export interface MaterialDeps extends OrganizationsDeps {
  material: SigningMaterialStore;
}

type Doc = { signing?: Record<string, unknown> };
type Signer = NonNullable<Organization['signing']>['signer'];

/**
 * The organization's signers with where each sits in its document: those of particular report
 * types first (`signersByType.<type>`), then the default one (`signer`). A document bound to one
 * report type carries that type's signer as `signer` too, under the same id.
 */
export function signersOf(org: Pick<Organization, 'signing'>): Array<{ path: string[]; signer: Signer; reportType?: string }> {
  const cfg = org.signing;
  if (!cfg) return [];
  return [
    ...Object.entries(cfg.signersByType ?? {}).map(([reportType, signer]) => ({ path: ['signersByType', reportType], signer, reportType })),
    { path: ['signer'], signer: cfg.signer },
  ];
}

const personEntry = (org: Pick<Organization, 'signing'>, personId: string) => signersOf(org).find((s) => s.signer.id === personId);

/** The JSON field a piece of material is referenced from (also how messages name it). */
export function materialField(owner: MaterialOwner, kind: MaterialKind, org?: Pick<Organization, 'signing'>): string {
  if (owner.kind === 'person') {
    const path = (org && personEntry(org, owner.personId)?.path) ?? ['signer'];
    return `signing.${path.join('.')}.${kind === 'image' ? 'image' : 'chain'}`;
  }
  return `signing.organization.${kind === 'image' ? 'seal' : 'chain'}`;
}

/** Who a person id names in the organization's signing data; a Vietnamese error when nobody. */
function holder(org: Organization, owner: MaterialOwner) {
  const cfg = org.signing;
  if (!cfg) throw new ValidationError(`Tổ chức "${org.id}" chưa khai báo ký số (signing): hãy khai báo người ký và dịch vụ ký trước.`);
  if (owner.kind === 'organization') return { cfg, part: cfg.organization, name: org.agencyName, path: ['organization'] };
  const entry = personEntry(org, owner.personId);
  if (!entry) {
    const ids = signersOf(org).map((s) => `"${s.signer.id}"`);
    throw new ValidationError(
      `Người ký (--person): "${owner.personId}" không phải mã người ký của tổ chức (các mã người ký: ${ids.join(', ')}).`,
    );
  }
  return { cfg, part: entry.signer, name: entry.signer.name, path: entry.path };
}

/** Stores the bytes, then a new version of the organization's document pointing at them. */
async function store(
  deps: MaterialDeps,
  input: { orgId: string; owner: MaterialOwner; kind: MaterialKind; body: Buffer; by: string },
  ref: (digest: string) => Record<string, unknown>,
) {
  const rec = await getOrganization(deps, input.orgId);
  const org = parseStoredOrganization(rec);
  const { path } = holder(org, input.owner);
  const digest = sha256(input.body);
  await deps.material.put(input.orgId, input.owner, input.kind, digest, input.body);
  const document = structuredClone(rec.document) as Doc;
  const part = path.reduce((at, k) => at[k] as Record<string, unknown>, document.signing as Record<string, unknown>);
  part[materialField(input.owner, input.kind, org).split('.').at(-1)!] = ref(digest);
  const saved = await putOrganization(deps, { id: input.orgId, document, by: input.by, expectedVersion: rec.version });
  return { ...saved, sha256: digest };
}

export async function putSigningImage(deps: MaterialDeps, input: { orgId: string; owner: MaterialOwner; png: Buffer; by: string }) {
  const field = materialField(input.owner, 'image');
  const check = checkImage(input.png, input.owner.kind === 'person' ? 'signature' : 'seal', field);
  if (check.errors.length || !check.facts) throw new ValidationError(check.errors.join(' '));
  const { width, height } = check.facts;
  const at = deps.now().toISOString();
  const saved = await store(deps, { ...input, kind: 'image', body: input.png }, (digest) => ({
    sha256: digest,
    bytes: input.png.length,
    width,
    height,
    uploadedAt: at,
    uploadedBy: input.by,
  }));
  return { ...saved, width, height, warnings: check.warnings };
}

export async function putSigningChain(deps: MaterialDeps, input: { orgId: string; owner: MaterialOwner; data: Buffer; by: string }) {
  const org = parseStoredOrganization(await getOrganization(deps, input.orgId));
  const { name } = holder(org, input.owner);
  const check = (await chainChecks()).checkChain(input.data, materialField(input.owner, 'chain', org), name, deps.now());
  if (check.errors.length || !check.facts) throw new ValidationError(check.errors.join(' '));
  const facts = check.facts;
  // Kept as PEM, the signer's certificate first, whatever form it came in.
  const pem = Buffer.from(
    facts.der
      .map(
        (d) =>
          `-----BEGIN CERTIFICATE-----\n${Buffer.from(d).toString('base64').replace(/.{64}/g, '$&\n').trimEnd()}\n-----END CERTIFICATE-----\n`,
      )
      .join(''),
  );
  const at = deps.now().toISOString();
  const saved = await store(deps, { ...input, kind: 'chain', body: pem }, (digest) => ({
    sha256: digest,
    subject: facts.subject,
    issuer: facts.issuer,
    notAfter: facts.notAfter,
    uploadedAt: at,
    uploadedBy: input.by,
  }));
  return { ...saved, subject: facts.subject, notAfter: facts.notAfter, warnings: check.warnings };
}

function refOf(org: Organization, owner: MaterialOwner, kind: MaterialKind) {
  const cfg = org.signing;
  if (!cfg) return undefined;
  if (owner.kind === 'person') {
    // Only the persons the signing data names have material.
    const signer = personEntry(org, owner.personId)?.signer;
    if (!signer) return undefined;
    return kind === 'image' ? signer.image : signer.chain;
  }
  return kind === 'image' ? cfg.organization.seal : cfg.organization.chain;
}

/** The stored bytes the organization's document points to, refused when their SHA-256 differs; undefined when none is stored. */
export async function readMaterial(store: SigningMaterialStore, org: Organization, owner: MaterialOwner, kind: MaterialKind) {
  const ref = refOf(org, owner, kind);
  if (!ref) return undefined;
  const field = materialField(owner, kind, org);
  const body = await store.get(org.id, owner, kind, ref.sha256);
  if (!body) throw new NotFoundError(`Không tìm thấy tệp ký số đã lưu (${field}) của tổ chức "${org.id}"; hãy tải lên lại.`);
  if (sha256(body) !== ref.sha256) {
    throw new ValidationError(
      `Tệp ký số đã lưu (${field}) của tổ chức "${org.id}" đã bị thay đổi (dấu SHA-256 không khớp với cấu hình); không dùng tệp này. Hãy tải lên lại.`,
    );
  }
  return body;
}

/** The chain (DER, the signer's first) stored for a signer, if any. */
export async function readChain(store: SigningMaterialStore, org: Organization, owner: MaterialOwner): Promise<Uint8Array[] | undefined> {
  const pem = await readMaterial(store, org, owner, 'chain');
  return pem ? (await chainChecks()).parseCertificates(pem).map((c) => new Uint8Array(c.rawData)) : undefined;
}

export type MaterialFacts = ReturnType<typeof signingMaterialFacts>;

/** What `baocao org signing show` and the organization page print: references and certificate facts, never bytes. */
export function signingMaterialFacts(org: Organization) {
  const cfg = org.signing;
  if (!cfg) return { signing: false as const };
  const provider = (p: { provider: string }) => p.provider;
  return {
    signing: true as const,
    person: {
      id: cfg.signer.id,
      name: cfg.signer.name,
      provider: provider(cfg.signer.provider),
      image: cfg.signer.image,
      chain: cfg.signer.chain,
    },
    /** Signers of particular report types (signing.signersByType). */
    byType: Object.entries(cfg.signersByType).map(([reportType, s]) => ({
      reportType,
      id: s.id,
      name: s.name,
      provider: provider(s.provider),
      image: s.image,
      chain: s.chain,
    })),
    organization: {
      name: org.agencyName,
      provider: provider(cfg.organization.provider),
      seal: cfg.organization.seal,
      chain: cfg.organization.chain,
    },
  };
}
