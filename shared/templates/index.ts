import { organization as bundledOrganization } from '../config';
import { zodIssuesVi } from '../config/messages';
import type { Organization } from '../config/schema';
import { bindTemplate, itemIds } from '../domain/ownership';
import { type ReportTemplate, ReportTemplateSchema } from '../domain/template';
import cchc from './cchc.json' with { type: 'json' };
import kstt from './kstt.json' with { type: 'json' };

/** Templates bundled with the code, parsed (defaults applied) on first use and cached. */
const RAW: Record<string, unknown> = { cchc, kstt };
const parsed = new Map<string, ReportTemplate>();
const bound = new WeakMap<Organization, Map<string, ReportTemplate>>();

export class TemplateNotFoundError extends Error {
  override readonly name = 'TemplateNotFoundError';
}

export function templateIds(): string[] {
  return Object.keys(RAW);
}

/** The template as written: owners are roles (template.roles), not yet any organization's divisions. */
export function getTemplateDefinition(id: string): ReportTemplate {
  const hit = parsed.get(id);
  if (hit) return hit;
  if (!Object.hasOwn(RAW, id)) {
    throw new TemplateNotFoundError(`Không có mẫu báo cáo "${id}". Các mẫu hiện có: ${templateIds().join(', ')}.`);
  }
  const result = ReportTemplateSchema.safeParse(RAW[id]);
  if (!result.success) {
    throw new Error(`Mẫu báo cáo "${id}" không hợp lệ — ${zodIssuesVi(result.error.issues).join('; ')}`);
  }
  parsed.set(id, result.data);
  return result.data;
}

/**
 * The template bound to an organization (default: the bundled one): owners are its division ids.
 * Throws OwnershipError naming every item nobody answers and every unknown owner.
 */
export function getTemplate(id: string, organization: Organization = bundledOrganization): ReportTemplate {
  const byId = bound.get(organization) ?? new Map<string, ReportTemplate>();
  bound.set(organization, byId);
  const hit = byId.get(id);
  if (hit) return hit;
  const template = bindTemplate(getTemplateDefinition(id), organization, otherReportTypesItems(organization, id));
  byId.set(id, template);
  return template;
}

/** Item ids of the organization's other (known) report types: its itemOwners may name them. */
export function otherReportTypesItems(organization: Organization, id: string): Set<string> {
  return new Set(
    organization.reportTypes.filter((t) => t !== id && Object.hasOwn(RAW, t)).flatMap((t) => itemIds(getTemplateDefinition(t))),
  );
}
