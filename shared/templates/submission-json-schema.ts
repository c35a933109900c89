/**
 * Writes the JSON Schema of a submission file to docs/submission-schema.json: the structure and,
 * per bundled template, its plausible ranges (so it lives with the templates, above the domain).
 * Run: npx tsx shared/templates/submission-json-schema.ts   (add --check to fail when the file is stale)
 */
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { boundsOf } from '../domain/submission/ranges';
import { SubmissionInputSchema } from '../domain/submission/schema';
import type { ReportTemplate } from '../domain/template';
import { runGeneratedDoc } from '../generated-doc';
import { getTemplateDefinition, templateIds } from '.';

/** A number within the bounds; text ("16.075") and null stay as the base schema says (text is range-checked once read). */
const bounded = (b: { min: number; max: number }) => ({
  anyOf: [{ type: 'integer', minimum: b.min, maximum: b.max }, { type: 'string' }, { type: 'null' }],
});

/** The plausible ranges a template declares (ranges.ts), applied when the file names that template. */
export function templateBounds(t: ReportTemplate) {
  const tables = t.tables
    .map((table) => {
      const cols = table.columns.filter((c) => c.type === 'integer' && c.id !== 'stt');
      const properties = Object.fromEntries(cols.map((c) => [c.id, bounded(boundsOf(c))]));
      return [table.id, { type: 'array', items: { type: 'object', properties } }] as const;
    })
    .filter(([, s]) => Object.keys(s.items.properties).length > 0);
  return {
    if: { properties: { templateId: { const: t.id } }, required: ['templateId'] },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, never awaited
    then: {
      properties: {
        indicators: {
          anyOf: [
            { type: 'object', properties: Object.fromEntries(t.indicators.map((i) => [i.id, bounded(boundsOf(i))])) },
            { type: 'null' },
          ],
        },
        tables: { anyOf: [{ type: 'object', properties: Object.fromEntries(tables) }, { type: 'null' }] },
      },
    },
  };
}

export function submissionJsonSchema(): string {
  const base = z.toJSONSchema(SubmissionInputSchema, { io: 'input' }) as Record<string, unknown>;
  const allOf = templateIds().map((id) => templateBounds(getTemplateDefinition(id)));
  return `${JSON.stringify({ ...base, allOf }, null, 2)}\n`;
}

runGeneratedDoc(import.meta.url, fileURLToPath(new URL('../../docs/submission-schema.json', import.meta.url)), submissionJsonSchema);
