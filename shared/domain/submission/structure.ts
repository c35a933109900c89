import published from '../../../docs/submission-schema.json' with { type: 'json' };

/**
 * The structural check of a submission: runs the published docs/submission-schema.json itself
 * (the document divisions follow), so the server enforces exactly what it publishes. A small
 * interpreter of the keywords that document uses; it refuses to start on any other keyword,
 * so a schema change cannot be silently ignored. zod stays out of this path: the form bundle
 * replaces zod by an inert stub (shared/features/intake/web/zod-stub.ts).
 */

export type Path = Array<string | number>;

/** One place where the value breaks the schema. `key` marks a bad property name, not a bad value. */
export interface Violation {
  path: Path;
  keyword: 'type' | 'const' | 'pattern' | 'required' | 'additionalProperties' | 'minimum' | 'maximum' | 'maxItems' | 'maxLength';
  key?: boolean;
}

interface Node {
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'null';
  const?: unknown;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  maxItems?: number;
  items?: Node;
  properties?: Record<string, Node>;
  required?: string[];
  additionalProperties?: Node | false;
  propertyNames?: Node;
  anyOf?: Node[];
  /** Per-template bounds: { if: {templateId is X}, then: {…} } for each template. */
  allOf?: Node[];
  if?: Node;
  then?: Node;
}

const KNOWN = new Set([
  '$schema',
  '$id',
  'title',
  'description',
  'type',
  'const',
  'pattern',
  'minimum',
  'maximum',
  'maxLength',
  'maxItems',
  'items',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'anyOf',
  'allOf',
  'if',
  'then',
]);

const patterns = new Map<string, RegExp>();

/** Checks every keyword is one this interpreter implements, and compiles the patterns. */
function prepare(node: unknown): Node {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) throw new Error('submission schema: a node is not an object');
  const n = node as Record<string, unknown>;
  for (const k of Object.keys(n)) if (!KNOWN.has(k)) throw new Error(`submission schema: unsupported keyword ${k}`);
  // JSON Schema patterns are ECMA-262 with the unicode flag, as in Ajv.
  if (typeof n.pattern === 'string' && !patterns.has(n.pattern)) patterns.set(n.pattern, new RegExp(n.pattern, 'u'));
  for (const child of [n.items, n.propertyNames, n.additionalProperties]) if (child !== undefined && child !== false) prepare(child);
  for (const child of Object.values((n.properties as Record<string, unknown>) ?? {})) prepare(child);
  for (const child of [...((n.anyOf as unknown[]) ?? []), ...((n.allOf as unknown[]) ?? [])]) prepare(child);
  for (const child of [n.if, n.then]) if (child !== undefined) prepare(child);
  return n as Node;
}

export const SUBMISSION_JSON_SCHEMA: Node = prepare(published);

type JsonType = 'object' | 'array' | 'string' | 'number' | 'null' | 'other';
function jsonType(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  return t === 'object' || t === 'string' || t === 'number' ? t : 'other';
}
const family = (t: Node['type']): JsonType | undefined => (t === 'integer' ? 'number' : t);
/** Code points, as JSON Schema (and Ajv) count a string's length. */
const length = (s: string) => [...s].length;

function check(node: Node, v: unknown, path: Path, out: Violation[]): void {
  if (node.anyOf) {
    // The branches differ by type, so only the one of the value's type can match: report its violations.
    const branch = node.anyOf.find((b) => family(b.type) === jsonType(v));
    if (branch) check(branch, v, path, out);
    else out.push({ path, keyword: 'type' });
    return;
  }
  const t = jsonType(v);
  if (node.type !== undefined) {
    const ok = node.type === 'integer' ? typeof v === 'number' && Number.isInteger(v) : family(node.type) === t;
    if (!ok) {
      out.push({ path, keyword: 'type' });
      return;
    }
  }
  if ('const' in node && v !== node.const) out.push({ path, keyword: 'const' });
  if (typeof v === 'number') {
    if (node.minimum !== undefined && v < node.minimum) out.push({ path, keyword: 'minimum' });
    if (node.maximum !== undefined && v > node.maximum) out.push({ path, keyword: 'maximum' });
  }
  if (typeof v === 'string') {
    if (node.maxLength !== undefined && length(v) > node.maxLength) out.push({ path, keyword: 'maxLength' });
    if (node.pattern !== undefined && !patterns.get(node.pattern)!.test(v)) out.push({ path, keyword: 'pattern' });
  }
  if (Array.isArray(v)) {
    if (node.maxItems !== undefined && v.length > node.maxItems) out.push({ path, keyword: 'maxItems' });
    else if (node.items) for (const [i, item] of v.entries()) check(node.items, item, [...path, i], out);
  }
  if (t === 'object') checkObject(node, v as Record<string, unknown>, path, out);
  for (const sub of node.allOf ?? []) check(sub, v, path, out);
  if (node.if && node.then && conforms(node.if, v, path)) check(node.then, v, path, out);
}

const conforms = (node: Node, v: unknown, path: Path) => {
  const probe: Violation[] = [];
  check(node, v, path, probe);
  return probe.length === 0;
};

function checkObject(node: Node, o: Record<string, unknown>, path: Path, out: Violation[]) {
  for (const k of node.required ?? []) if (!Object.hasOwn(o, k)) out.push({ path: [...path, k], keyword: 'required' });
  const props = node.properties ?? {};
  for (const k of Object.keys(o)) {
    if (node.propertyNames) {
      const before = out.length;
      check(node.propertyNames, k, [...path, k], out);
      for (let i = before; i < out.length; i++) out[i].key = true;
    }
    if (Object.hasOwn(props, k)) check(props[k], o[k], [...path, k], out);
    else if (node.additionalProperties === false) out.push({ path: [...path, k], keyword: 'additionalProperties', key: true });
    else if (node.additionalProperties) check(node.additionalProperties, o[k], [...path, k], out);
  }
}

/** Every place where `raw` breaks docs/submission-schema.json; empty when it is structurally valid. */
export function structuralViolations(raw: unknown): Violation[] {
  const out: Violation[] = [];
  check(SUBMISSION_JSON_SCHEMA, raw, [], out);
  return out;
}
