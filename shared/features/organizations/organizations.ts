import { zodIssuesVi } from '../../config/messages';
import { FIELD_LABELS, type Organization, OrganizationSchema } from '../../config/schema';
import { ownershipProblems } from '../../domain/ownership';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import { getTemplateDefinition, otherReportTypesItems, templateIds } from '../../templates';
import type { OrganizationStore, OrganizationsDeps, StoredOrganization } from './ports';

export interface OrganizationCheck {
  organization?: Organization;
  /** Every problem, in Vietnamese, naming the field (schema) or the item and division (ownership). */
  errors: string[];
}

/**
 * Validates an organization document: the schema first, then, for each of its report types, which
 * division answers which item (every unowned or unknown item named) and the texts the template prints.
 */
export function checkOrganization(data: unknown): OrganizationCheck {
  const parsed = OrganizationSchema.safeParse(data);
  if (!parsed.success) return { errors: zodIssuesVi(parsed.error.issues, FIELD_LABELS) };
  const org = parsed.data;
  const errors: string[] = [];
  for (const type of org.reportTypes) {
    if (!templateIds().includes(type)) {
      errors.push(`Loại báo cáo (reportTypes): không có mẫu "${type}". Các mẫu hiện có: ${templateIds().join(', ')}.`);
      continue;
    }
    errors.push(...ownershipProblems(getTemplateDefinition(type), org, otherReportTypesItems(org, type)).map((p) => `[${type}] ${p}`));
  }
  for (const id of Object.keys(org.approvalChains)) {
    if (!org.reportTypes.includes(id))
      errors.push(`Quy trình phê duyệt theo loại báo cáo (approvalChains.${id}): tổ chức không có loại báo cáo "${id}".`);
  }
  for (const id of Object.keys(org.signaturesByType)) {
    if (!org.reportTypes.includes(id))
      errors.push(`Khối chữ ký theo loại báo cáo (signaturesByType.${id}): tổ chức không có loại báo cáo "${id}".`);
  }
  if (org.signing) {
    const seen = new Map([[org.signing.signer.id, 'signing.signer']]);
    for (const [id, signer] of Object.entries(org.signing.signersByType)) {
      const field = `signing.signersByType.${id}`;
      if (!org.reportTypes.includes(id)) errors.push(`Người ký theo loại báo cáo (${field}): tổ chức không có loại báo cáo "${id}".`);
      const earlier = seen.get(signer.id);
      // One entry per person: their stored image and chain hang from it.
      if (earlier)
        errors.push(`Người ký theo loại báo cáo (${field}.id): mã "${signer.id}" đã dùng ở ${earlier}; mỗi người ký khai báo một lần.`);
      seen.set(signer.id, field);
    }
  }
  return errors.length ? { errors } : { organization: org, errors };
}

export function parseStoredOrganization(rec: StoredOrganization): Organization {
  const check = checkOrganization(rec.document);
  if (!check.organization)
    throw new ValidationError(`Cấu hình tổ chức "${rec.id}" (phiên bản ${rec.version}) không hợp lệ — ${check.errors.join('; ')}`);
  return check.organization;
}

export async function listOrganizations(deps: Pick<OrganizationsDeps, 'organizations'>) {
  return (await deps.organizations.list()).sort((a, b) => a.id.localeCompare(b.id));
}

export async function getOrganization(deps: Pick<OrganizationsDeps, 'organizations'>, id: string): Promise<StoredOrganization> {
  const rec = await deps.organizations.get(id);
  if (!rec) throw new NotFoundError(`Không có tổ chức "${id}".`);
  return rec;
}

/**
 * Stores a new version of an organization's document after validating it. `expectedVersion`
 * (optional) refuses a change made on an older version than the stored one.
 */
export async function putOrganization(
  deps: OrganizationsDeps,
  input: { id: string; document: unknown; by: string; expectedVersion?: number },
): Promise<{ id: string; version: number }> {
  const check = checkOrganization(input.document);
  if (!check.organization) throw new ValidationError(`Cấu hình tổ chức không hợp lệ — ${check.errors.join('; ')}`);
  if (check.organization.id !== input.id) {
    throw new ValidationError(`Mã tổ chức (id) "${check.organization.id}" khác mã trong địa chỉ "${input.id}".`);
  }
  const current = await deps.organizations.get(input.id);
  if (input.expectedVersion !== undefined && input.expectedVersion !== (current?.version ?? 0)) {
    throw new ConflictError(`Cấu hình tổ chức "${input.id}" đã đổi (phiên bản ${current?.version ?? 0}); hãy tải lại rồi sửa.`);
  }
  const version = (current?.version ?? 0) + 1;
  const ok = await deps.organizations.put(
    { id: input.id, document: input.document, version, updatedAt: deps.now().toISOString(), updatedBy: input.by },
    { agencyName: check.organization.agencyName, parentBody: check.organization.parentBody },
  );
  if (!ok) throw new ConflictError(`Cấu hình tổ chức "${input.id}" vừa được người khác thay đổi; hãy thử lại.`);
  return { id: input.id, version };
}

/** Stores the bundled organizations when the table has none (local start-up; `baocao org seed` on AWS). */
export async function seedOrganizations(deps: OrganizationsDeps, documents: unknown[], by = 'seed'): Promise<string[]> {
  if ((await deps.organizations.list()).length > 0) return [];
  const seeded: string[] = [];
  for (const document of documents) {
    const id = String((document as { id?: unknown }).id ?? '');
    const rec = await deps.organizations.get(id);
    if (rec) continue;
    await putOrganization(deps, { id, document, by });
    seeded.push(id);
  }
  return seeded;
}

/**
 * Organizations read per container with a short time-to-live: a change applies within `ttlMs`
 * everywhere without a redeploy, and a busy container does not read the table on every request.
 */
export class OrganizationCache {
  private readonly hits = new Map<string, { at: number; org: Organization | undefined }>();
  constructor(
    private readonly store: OrganizationStore,
    private readonly ttlMs = 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  async get(id: string): Promise<Organization | undefined> {
    const hit = this.hits.get(id);
    if (hit && this.clock() - hit.at < this.ttlMs) return hit.org;
    const rec = await this.store.get(id);
    const org = rec ? parseStoredOrganization(rec) : undefined;
    this.hits.set(id, { at: this.clock(), org });
    return org;
  }

  async require(id: string): Promise<Organization> {
    const org = await this.get(id);
    if (!org) throw new NotFoundError(`Không có tổ chức "${id}".`);
    return org;
  }
}
