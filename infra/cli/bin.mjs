#!/usr/bin/env node
// Entry for `npx baocao`: runs the TypeScript CLI through tsx (npx puts the project's Node 22 first on PATH).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2)).catch((err) => {
  console.error(`Lỗi: ${err.message}`);
  return 1;
});
