/**
 * Writes the JSON Schema of a submission file to docs/submission-schema.json.
 * Run: npx tsx shared/domain/export-json-schema.ts   (add --check to fail when the file is stale)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { SubmissionInputSchema } from './submission/schema';

export function submissionJsonSchema(): string {
  return `${JSON.stringify(z.toJSONSchema(SubmissionInputSchema, { io: 'input' }), null, 2)}\n`;
}

const target = fileURLToPath(new URL('../../docs/submission-schema.json', import.meta.url));
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = submissionJsonSchema();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      /* missing counts as stale */
    }
    if (current !== text) {
      console.error(`${target} is stale; run: npx tsx shared/domain/export-json-schema.ts`);
      process.exit(1);
    }
  } else {
    writeFileSync(target, text);
    console.log(`wrote ${target}`);
  }
}
