import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { publicUrl } from '../../shared/http/url';

describe('links under PUBLIC_BASE_URL', () => {
  it('puts exactly one slash between the base and the path', () => {
    for (const base of [
      'https://abc.execute-api.ap-southeast-1.amazonaws.com',
      'https://abc.execute-api.ap-southeast-1.amazonaws.com/',
      'https://abc.execute-api.ap-southeast-1.amazonaws.com//',
    ]) {
      expect(publicUrl(base, 'decision/s3cr3t')).toBe('https://abc.execute-api.ap-southeast-1.amazonaws.com/decision/s3cr3t');
      expect(publicUrl(base, '/nop/s3cr3t')).toBe('https://abc.execute-api.ap-southeast-1.amazonaws.com/nop/s3cr3t');
    }
    expect(publicUrl('https://baocao.gov.vn/prod/', 'download/x')).toBe('https://baocao.gov.vn/prod/download/x');
  });

  it('is the only way the product joins a link to the base', () => {
    const root = fileURLToPath(new URL('../../shared/', import.meta.url));
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const n of readdirSync(dir)) {
        const p = join(dir, n);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    walk(root);
    const naive = files.filter((f) => /\$\{[\w.]*baseUrl\}\//.test(readFileSync(f, 'utf8')));
    expect(naive).toEqual([]);
  });
});
