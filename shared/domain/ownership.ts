import type { Organization } from '../config/schema';
import { ORG_FIELDS } from '../config/schema';
import { placeholdersIn, templateTexts } from './placeholders';
import type { ReportTemplate } from './template';

/**
 * Which division answers which template item. A bundled template names roles ("vanPhong",
 * "thanhTra" … declared in template.roles); the organization gives each division its roles and
 * may map single items explicitly (organization.itemOwners). Binding replaces owners by division
 * ids, in the organization's division order, and is checked on load: every item nobody answers,
 * every unknown owner and every item or division the mapping names but does not exist is reported.
 */

type Item = { id: string; label: string; owners: string[] };

function items(template: ReportTemplate): Array<Item & { kind: string }> {
  return [
    ...template.indicators.map((i) => ({ ...i, kind: 'Chỉ tiêu' })),
    ...template.tables.map((t) => ({ ...t, kind: 'Bảng' })),
    ...template.narratives.map((n) => ({ ...n, kind: 'Mục' })),
  ];
}

function resolve(item: Item, template: ReportTemplate, org: Organization): { owners: string[]; problems: string[] } {
  const problems: string[] = [];
  const divisionIds = org.divisions.map((d) => d.id);
  const explicit = org.itemOwners[item.id];
  const wanted = new Set<string>();
  if (explicit) {
    for (const d of explicit) {
      if (divisionIds.includes(d)) wanted.add(d);
      else problems.push(`itemOwners.${item.id}: không có phòng, đơn vị "${d}" trong tổ chức.`);
    }
  } else {
    const roles = new Map(template.roles.map((r) => [r.id, r]));
    for (const ref of item.owners) {
      if (roles.has(ref)) {
        for (const d of org.divisions) if (d.roles.includes(ref)) wanted.add(d.id);
      } else if (divisionIds.includes(ref)) wanted.add(ref);
      else
        problems.push(
          `"${item.label}" (${item.id}): người trả lời "${ref}" không phải vai trò của mẫu báo cáo cũng không phải phòng, đơn vị của tổ chức.`,
        );
    }
  }
  const owners = divisionIds.filter((d) => wanted.has(d));
  if (owners.length === 0 && problems.length === 0) {
    const roleNames = item.owners.map((r) => template.roles.find((x) => x.id === r)?.label ?? r).join(', ');
    problems.push(
      `"${item.label}" (${item.id}) chưa có phòng, đơn vị nào trả lời: giao vai trò ${roleNames} cho một phòng, đơn vị (divisions[].roles) hoặc khai báo itemOwners.${item.id}.`,
    );
  }
  return { owners, problems };
}

/** The ids of a template's items (indicators, tables, narratives): what itemOwners may name. */
export function itemIds(template: ReportTemplate): string[] {
  return items(template).map((i) => i.id);
}

/**
 * Every ownership and organization-text problem of a template for one organization, in Vietnamese.
 * `otherItems`: item ids of the organization's other report types, which its itemOwners may name too.
 */
export function ownershipProblems(template: ReportTemplate, org: Organization, otherItems: ReadonlySet<string> = new Set()): string[] {
  const problems: string[] = [];
  const all = items(template);
  for (const item of all) problems.push(...resolve(item, template, org).problems);
  const ids = new Set(all.map((i) => i.id));
  for (const id of Object.keys(org.itemOwners)) {
    if (!ids.has(id) && !otherItems.has(id)) problems.push(`itemOwners.${id}: mẫu báo cáo "${template.id}" không có mục "${id}".`);
  }
  // Organization texts the template prints must exist, or the document would show "[?org:…]".
  const labels = [...all.map((i) => i.label), ...template.tables.flatMap((t) => t.columns.flatMap((c) => [c.label, c.group ?? '']))];
  for (const text of [...templateTexts(template), ...labels]) {
    for (const ph of placeholdersIn(text)) {
      if (!ph.startsWith('org:')) continue;
      const key = ph.slice(4);
      if (!organizationText(org, key)) {
        const declared = template.organizationTexts.find((t) => t.id === key);
        const where = (ORG_FIELDS as readonly string[]).includes(key) ? key : `texts.${key}`;
        problems.push(
          `Mẫu báo cáo "${template.id}" cần ${declared ? `"${declared.label}" ` : ''}của tổ chức (${where}) nhưng cấu hình chưa khai báo.`,
        );
      }
    }
  }
  return [...new Set(problems)];
}

/** A text of the organization by {org:key}: a standard field or one of organization.texts. */
export function organizationText(org: Organization, key: string): string | undefined {
  if ((ORG_FIELDS as readonly string[]).includes(key)) {
    const v = org[key as (typeof ORG_FIELDS)[number]];
    return typeof v === 'string' && v.trim() ? v : undefined;
  }
  const v = Object.hasOwn(org.texts, key) ? org.texts[key] : undefined;
  return v?.trim() ? v : undefined;
}

export class OwnershipError extends Error {
  override readonly name = 'OwnershipError';
  constructor(readonly problems: string[]) {
    super(`Cấu hình tổ chức chưa khớp mẫu báo cáo — ${problems.join(' ')}`);
  }
}

/** The template with owners as this organization's division ids; throws OwnershipError naming every problem. */
export function bindTemplate(template: ReportTemplate, org: Organization, otherItems: ReadonlySet<string> = new Set()): ReportTemplate {
  const problems = ownershipProblems(template, org, otherItems);
  if (problems.length) throw new OwnershipError(problems);
  // Labels are what forms, messages and exports show: they take the organization's texts now.
  const label = (s: string) => s.replace(/\{org:([A-Za-z][A-Za-z0-9_]*)\}/g, (whole, k: string) => organizationText(org, k) ?? whole);
  const bind = <T extends Item>(x: T): T => ({ ...x, label: label(x.label), owners: resolve(x, template, org).owners });
  return {
    ...template,
    indicators: template.indicators.map(bind),
    tables: template.tables.map((t) => ({
      ...bind(t),
      columns: t.columns.map((c) => ({ ...c, label: label(c.label), ...(c.group ? { group: label(c.group) } : {}) })),
    })),
    // Order keys may name the organization ({org:agencyName}); its own keys replace the template's.
    narratives: template.narratives.map((n) => ({ ...bind(n), order: org.itemOrder[n.id] ?? n.order.map(label) })),
  };
}

/**
 * The organization as one report type sees it: only the divisions that answer at least one item of
 * the bound template (invites, completeness, the compile's gap and the aggregation never wait for a
 * division that has nothing to send for this report type: Thanh tra has no row in form 06), and the
 * report type's own approval chain (approvalChains[type]) where it has one.
 */
export function organizationForReportType(org: Organization, bound: ReportTemplate): Organization {
  const answering = new Set(items(bound).flatMap((i) => i.owners));
  const chain = org.approvalChains[bound.id];
  const signature = org.signaturesByType[bound.id];
  const signer = org.signing?.signersByType[bound.id];
  if (!chain && !signature && !signer && org.divisions.every((d) => answering.has(d.id))) return org;
  return {
    ...org,
    divisions: org.divisions.filter((d) => answering.has(d.id)),
    ...(chain ? { approvalChain: chain } : {}),
    ...(signature ? { signature } : {}),
    ...(signer && org.signing ? { signing: { ...org.signing, signer } } : {}),
  };
}
