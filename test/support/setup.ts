/**
 * First step of `npm test` (and of .ci/run through it): make the system tools the suites need
 * present, or stop with one message saying what to run. See system-tools.ts.
 */
import { ensureSystemTools } from './system-tools';
import type { ToolGroup } from './tools';

// Optional arguments narrow the check to some suites: `setup.ts browser` before test/e2e alone.
const asked = process.argv.slice(2);
const unknown = asked.filter((g) => g !== 'browser' && g !== 'render');
if (unknown.length > 0) {
  console.error(`Nhóm không hợp lệ: ${unknown.join(', ')} (chỉ có browser, render).`);
  process.exit(2);
}
const result = await ensureSystemTools(asked.length > 0 ? { groups: asked as ToolGroup[] } : {});
if (!result.ok) {
  console.error(`\n${result.message}\n`);
  process.exit(1);
}
const where = result.found.map((f) => (f.status === 'found' ? `${f.id}: ${f.path}` : f.id)).join(', ');
if (where) console.log(`Công cụ hệ thống cho kiểm thử: ${where}`);
