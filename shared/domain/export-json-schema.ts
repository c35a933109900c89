/**
 * Writes the JSON Schema of a submission file to docs/submission-schema.json.
 * Run: npx tsx shared/domain/export-json-schema.ts   (add --check to fail when the file is stale)
 */
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { runGeneratedDoc } from '../generated-doc';
import { SubmissionInputSchema } from './submission/schema';

export function submissionJsonSchema(): string {
  return `${JSON.stringify(z.toJSONSchema(SubmissionInputSchema, { io: 'input' }), null, 2)}\n`;
}

runGeneratedDoc(import.meta.url, fileURLToPath(new URL('../../docs/submission-schema.json', import.meta.url)), submissionJsonSchema);
