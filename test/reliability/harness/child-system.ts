/**
 * The local system as a separate process (`npx tsx infra/local/start.ts`), so that a test can
 * kill -9 it at a chosen moment and start it again on the same state dir, as a crash would.
 * Loopback only; every wait is bounded.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../../infra/local/ports';

const REPO_ROOT = join(import.meta.dirname, '../../..');

export interface ChildUrls {
  api: string;
  dynamodb: string;
  s3: string;
}

export interface ChildSystem {
  readonly stateDir: string;
  readonly port: number;
  /** URLs of the running instance (DynamoDB/S3 ports change at each start). */
  readonly urls: ChildUrls;
  /** The operator token of the running instance (new at each start), read from its printed sign-in link. */
  readonly operatorToken: string;
  readonly output: string;
  /** Start (again) on the same state dir and port; resolves once the HTTP API answers. */
  start(): Promise<ChildUrls>;
  /** kill -9 the whole process group (npx → tsx → node), then wait for it to be gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  running(): boolean;
}

const SERVICE_LINES: Record<keyof ChildUrls, RegExp> = {
  api: /Trang web:\s+(http:\/\/127\.0\.0\.1:\d+)/,
  dynamodb: /DynamoDB:\s+(http:\/\/127\.0\.0\.1:\d+)/,
  s3: /S3:\s+(http:\/\/127\.0\.0\.1:\d+)/,
};

export async function childSystem(opts: { stateDir: string; startTimeoutMs?: number; log?: (l: string) => void }): Promise<ChildSystem> {
  const port = await freePort();
  const startTimeoutMs = opts.startTimeoutMs ?? 90_000;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let output = '';
  let urls: ChildUrls | undefined;
  let operatorToken = '';

  const start = async (): Promise<ChildUrls> => {
    if (child) throw new Error('child system already running');
    output = '';
    urls = undefined;
    const proc = spawn('npx', ['tsx', 'infra/local/start.ts'], {
      cwd: REPO_ROOT,
      // The sample organization unsigned: these scenarios are about crashes around approvals and release,
      // and signing needs the person and the văn thư (covered by test/integration/signing-flow.test.ts).
      env: { ...process.env, PORT: String(port), BAOCAO_STATE_DIR: opts.stateDir, BAOCAO_SAMPLE_SIGNING: '0' },
      // Own process group: kill(-pid) reaches npx and the node process tsx starts.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    exited = new Promise((r) => proc.once('exit', () => r()));
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      opts.log?.(chunk.toString('utf8').trimEnd());
    };
    proc.stdout?.on('data', collect);
    proc.stderr?.on('data', collect);

    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`local system exited (${proc.exitCode}):\n${output}`);
      const found = Object.fromEntries(Object.entries(SERVICE_LINES).map(([k, re]) => [k, re.exec(output)?.[1]]));
      const token = /\/_local\/signin\?token=([A-Za-z0-9_-]+)/.exec(output)?.[1];
      if (found.api && found.dynamodb && found.s3 && token) {
        try {
          const res = await fetch(`${found.api}/_local/inbox.json`, {
            signal: AbortSignal.timeout(2000),
            headers: { authorization: `Bearer ${token}` },
          });
          if (res.ok) {
            operatorToken = token;
            urls = found as unknown as ChildUrls;
            return urls;
          }
        } catch {
          // not serving yet
        }
      }
      if (Date.now() > deadline) {
        await kill();
        throw new Error(`local system did not serve within ${startTimeoutMs} ms:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    const proc = child;
    if (!proc?.pid) return;
    try {
      process.kill(-proc.pid, signal);
    } catch {
      // already gone
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    // The group may outlive its leader for a moment: make sure nothing keeps the ports.
    for (let i = 0; i < 50; i++) {
      try {
        process.kill(-proc.pid, 0);
      } catch {
        break;
      }
      if (i === 0 && signal !== 'SIGKILL') process.kill(-proc.pid, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 100));
    }
    child = undefined;
  };

  return {
    stateDir: opts.stateDir,
    port,
    get urls() {
      if (!urls) throw new Error('child system not started');
      return urls;
    },
    get output() {
      return output;
    },
    get operatorToken() {
      return operatorToken;
    },
    start,
    kill,
    running: () => child !== undefined,
  };
}
