import { build } from 'esbuild';
const name = process.argv[2];
const r = await build({ entryPoints: [`functions/${name}.ts`], bundle: true, platform: 'node', format: 'esm', target: 'node22', mainFields: ['module','main'], minify: true, write: false, metafile: true, outfile: '/tmp/opsbench/x.mjs', logLevel: 'error' });
const out = Object.values(r.metafile.outputs)[0];
const by = {};
for (const [f, v] of Object.entries(out.inputs)) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f);
  const k = m ? m[1] : f.split('/').slice(0, 2).join('/');
  by[k] = (by[k] ?? 0) + v.bytesInOutput;
}
console.log(Object.entries(by).sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${(v/1024).toFixed(0).padStart(6)} KB ${k}`).join('\n'));
