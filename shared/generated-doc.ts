import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * A document generated from code (the published JSON Schemas in docs/): when the generating module
 * is run as a script, writes `target`, or with `--check` fails when the file is stale.
 */
export function runGeneratedDoc(moduleUrl: string, target: string, text: () => string): void {
  const script = fileURLToPath(moduleUrl);
  if (!process.argv[1] || script !== process.argv[1]) return;
  const wanted = text();
  if (!process.argv.includes('--check')) {
    writeFileSync(target, wanted);
    console.log(`wrote ${target}`);
    return;
  }
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    /* missing counts as stale */
  }
  if (current !== wanted) {
    console.error(`${target} is stale; run: npx tsx ${script}`);
    process.exit(1);
  }
}
