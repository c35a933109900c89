/** Issue 14: the CLI against the local system finds the operator token `npm start` wrote, and is refused without it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../infra/cli/client';
import { main } from '../../infra/cli/main';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime';

let runtime: LocalRuntime;
let dir: string;
const saved = { ...process.env };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baocao-operator-cli-'));
  runtime = await startLocalRuntime({ stateDir: join(dir, 'state'), port: 0 });
  // The CLI is another process: it knows only the state folder, not the in-process token.
  delete process.env.BAOCAO_OPERATOR_TOKEN;
});

afterAll(async () => {
  process.env = saved;
  await runtime?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[], stateDir: string) {
  process.env.BAOCAO_STATE_DIR = stateDir;
  const lines: string[] = [];
  try {
    const code = await main([...args, '--api', runtime.urls.api], (l) => lines.push(l));
    return { code, lines };
  } finally {
    delete process.env.BAOCAO_STATE_DIR;
  }
}

describe('the CLI against the local system', () => {
  it('reads <state>/operator-token and acts as the operator', async () => {
    const res = await cli(['status', '2021-Q1'], join(dir, 'state'));
    expect(res.code).toBe(0);
    expect(res.lines[0]).toBe('Kỳ quý I năm 2021');
  });

  it('without the token (another folder) is refused in Vietnamese, naming what is missing', async () => {
    const err = await cli(['status', '2021-Q1'], join(dir, 'elsewhere')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(403);
    expect((err as ApiError).message).toContain('mã vận hành');
  });
});
