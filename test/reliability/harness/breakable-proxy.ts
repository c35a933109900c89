/**
 * A TCP proxy on loopback in front of one local service (dynalite, s3rver) that can be broken for
 * a while: every connection open at the time is reset and every new one is reset (mode 'reset')
 * or answered `503 Service Unavailable` (mode '503') until it heals. Handlers reach the service
 * through it via `startLocalRuntime({ wrapEndpoint })`.
 */
import { createServer, type Server, Socket } from 'node:net';

export type BreakMode = 'reset' | '503';

export interface ProxyCounters {
  /** Connections accepted and forwarded to the service. */
  forwarded: number;
  /** Connections reset or answered 503 while broken (including those cut when the break began). */
  broken: number;
  /** Number of break() calls. */
  breaks: number;
}

export interface BreakableProxy {
  /** http://127.0.0.1:<port> of the proxy. */
  url: string;
  target: string;
  readonly counters: ProxyCounters;
  readonly isBroken: boolean;
  /** Break now; heal by itself after `ms` (if given). Resolves at once; `healed` resolves when it heals. */
  break(ms?: number, mode?: BreakMode): { healed: Promise<void> };
  heal(): void;
  close(): Promise<void>;
}

const SERVICE_UNAVAILABLE =
  'HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}';

export async function startBreakableProxy(target: string): Promise<BreakableProxy> {
  const { hostname, port } = new URL(target);
  if (hostname !== '127.0.0.1' && hostname !== 'localhost') throw new Error(`loopback only: ${target}`);
  const counters: ProxyCounters = { forwarded: 0, broken: 0, breaks: 0 };
  const open = new Set<Socket>();
  let broken: BreakMode | undefined;
  let timer: NodeJS.Timeout | undefined;
  let onHeal: Array<() => void> = [];

  const refuse = (client: Socket, mode: BreakMode) => {
    counters.broken++;
    if (mode === '503') {
      // Answer once the request starts arriving, so the client reads a proper HTTP response.
      client.once('data', () => client.end(SERVICE_UNAVAILABLE));
      client.on('error', () => undefined);
    } else {
      client.resetAndDestroy();
    }
  };

  const server: Server = createServer((client) => {
    client.on('error', () => undefined);
    if (broken) return refuse(client, broken);
    counters.forwarded++;
    const upstream = new Socket();
    upstream.on('error', () => client.resetAndDestroy());
    client.on('error', () => upstream.destroy());
    upstream.connect(Number(port), hostname, () => {
      client.pipe(upstream);
      upstream.pipe(client);
    });
    open.add(client);
    client.on('close', () => {
      open.delete(client);
      upstream.destroy();
    });
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('proxy did not bind');

  const heal = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    broken = undefined;
    const waiting = onHeal;
    onHeal = [];
    for (const f of waiting) f();
  };

  return {
    url: `http://127.0.0.1:${address.port}`,
    target,
    counters,
    get isBroken() {
      return broken !== undefined;
    },
    break(ms?: number, mode: BreakMode = 'reset') {
      counters.breaks++;
      broken = mode;
      // Kept-alive connections would otherwise outlive the break.
      for (const s of open) {
        counters.broken++;
        s.resetAndDestroy();
      }
      open.clear();
      if (timer) clearTimeout(timer);
      timer = ms === undefined ? undefined : setTimeout(heal, ms);
      return { healed: new Promise<void>((r) => onHeal.push(r)) };
    },
    heal,
    close() {
      heal();
      for (const s of open) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}
