/**
 * First step of `npm test` (and of .ci/run through it): make the system tools the suites need
 * present, or stop with one message saying what to run. See system-tools.ts.
 */
import { ensureSystemTools } from './system-tools';

const result = await ensureSystemTools();
if (!result.ok) {
  console.error(`\n${result.message}\n`);
  process.exit(1);
}
const where = result.found.map((f) => (f.status === 'found' ? `${f.id}: ${f.path}` : f.id)).join(', ');
if (where) console.log(`Công cụ hệ thống cho kiểm thử: ${where}`);
