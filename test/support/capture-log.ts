import { vi } from 'vitest';

/** Captures what the Powertools logger prints (it writes through its own console to stdout/stderr). */
export function captureLog() {
  const lines: string[] = [];
  const grab = (chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(grab as never);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(grab as never);
  return {
    records: () =>
      lines
        .join('')
        .split('\n')
        .filter((l) => l.trim().startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    restore: () => {
      out.mockRestore();
      err.mockRestore();
    },
  };
}
