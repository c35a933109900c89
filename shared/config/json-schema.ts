/**
 * Writes the JSON Schema of an organization document to docs/organization-schema.json, every
 * field titled in Vietnamese (the names validation messages use).
 * Run: npx tsx shared/config/json-schema.ts   (add --check to fail when the file is stale)
 */
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { runGeneratedDoc } from '../generated-doc';
import { FIELD_LABELS, OrganizationSchema } from './schema';

type Node = { [k: string]: unknown };

/** The signature block is read in two shapes (a preprocess zod cannot describe): state the current one. */
const SIGNATURE: Node = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: ['KT', 'TL', 'TM', 'direct'] },
    authority: { type: 'string' },
    title: { type: 'string', minLength: 1 },
    signer: { type: 'string' },
  },
  required: ['title'],
};

function titled(node: Node, path: string[]): Node {
  const out: Node = { ...node };
  const label = FIELD_LABELS[path.join('.')];
  if (label) out.title = label;
  if (path.join('.') === 'signature') Object.assign(out, SIGNATURE);
  const props = out.properties as Record<string, Node> | undefined;
  if (props) out.properties = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, titled(v, [...path, k])]));
  const items = out.items as Node | undefined;
  if (items && typeof items === 'object' && !Array.isArray(items)) out.items = titled(items, [...path, '*']);
  const extra = out.additionalProperties as Node | boolean | undefined;
  if (extra && typeof extra === 'object') out.additionalProperties = titled(extra, [...path, '*']);
  return out;
}

export function organizationJsonSchema(): Node {
  const base = z.toJSONSchema(OrganizationSchema, { io: 'input', unrepresentable: 'any' }) as Node;
  return {
    ...titled(base, []),
    $id: 'https://baocao.local/schemas/organization.json',
    title: 'Cấu hình tổ chức (một Sở, ban, ngành) của hệ thống báo cáo định kỳ',
    // An older document names one `compiler`; a newer one lists `compilers`: either is enough.
    anyOf: [{ required: ['compiler'] }, { required: ['compilers'] }],
  };
}

export function organizationJsonSchemaText(): string {
  return `${JSON.stringify(organizationJsonSchema(), null, 2)}\n`;
}

runGeneratedDoc(
  import.meta.url,
  fileURLToPath(new URL('../../docs/organization-schema.json', import.meta.url)),
  organizationJsonSchemaText,
);
