import { build } from 'esbuild';
const [name, target] = process.argv.slice(2);
const r = await build({ entryPoints: [`functions/${name}.ts`], bundle: true, platform: 'node', format: 'esm', target: 'node22', mainFields: ['module','main'], write: false, metafile: true, outfile: '/tmp/x.mjs', logLevel: 'error' });
const inputs = r.metafile.inputs;
const parents = {};
for (const [f, v] of Object.entries(inputs)) for (const i of v.imports) (parents[i.path] ??= []).push(f);
let cur = Object.keys(inputs).find((f) => f.includes(target));
const chain = [cur];
const seen = new Set();
while (cur && !cur.startsWith('functions/')) { const p = (parents[cur] ?? []).find((x) => !seen.has(x)); seen.add(p); cur = p; chain.push(cur); if (chain.length > 30) break; }
console.log(chain.reverse().join('\n  <- '));
