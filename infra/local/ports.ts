import { createServer, type Server } from 'node:http';
import type { AddressInfo, Server as NetServer } from 'node:net';

/** Every local service binds to loopback only: nothing is reachable from the network. */
export const LOOPBACK = '127.0.0.1';

/** Listen on host:port (0 = any free port) and resolve with the port actually bound (HTTP or any net server). */
export function listen(server: Pick<NetServer, 'listen' | 'once' | 'off' | 'address'>, port = 0, host = LOOPBACK): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Ask the OS for a free loopback port (for servers that need their port before they start). */
export async function freePort(host = LOOPBACK): Promise<number> {
  const probe = createServer();
  const port = await listen(probe, 0, host);
  await closeServer(probe);
  return port;
}

/** Close a node:http-like server, dropping idle keep-alive sockets so close() does not hang. */
export function closeServer(server: Pick<Server, 'close'> & Partial<Pick<Server, 'closeAllConnections' | 'listening'>>): Promise<void> {
  return new Promise((resolve, reject) => {
    if (server.listening === false) return resolve();
    server.close((err) => (err && (err as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING' ? reject(err) : resolve()));
    server.closeAllConnections?.();
  });
}

export function urlOf(port: number, host = LOOPBACK): string {
  return `http://${host}:${port}`;
}

/** `preferred` when it can be bound on loopback right now, else 0 (= let the OS pick). */
export async function preferPort(preferred: number | undefined, host = LOOPBACK): Promise<number> {
  if (!preferred) return 0;
  const probe = createServer();
  try {
    await listen(probe, preferred, host);
    await closeServer(probe);
    return preferred;
  } catch {
    return 0;
  }
}
