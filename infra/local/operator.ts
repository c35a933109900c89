import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';

/**
 * The local system's operator (issue 14): loopback is not authorization, since every process and
 * every web page the machine opens can reach 127.0.0.1. Each start makes a random token; operator
 * pages, /api and the /_local/ pages (inbox, executions) need it, presented as
 * `Authorization: Bearer <token>` (the CLI, the demo, tests) or as the cookie the printed sign-in
 * link sets (a browser). Secret links (invite, decision, download, sign-in) stay their own
 * authorization. The emailed sign-in of the signin slice works locally too (the local inbox).
 */

export const OPERATOR_COOKIE = 'bc_operator';
/** Where the token of the running system is kept for the CLI, inside the state folder (mode 0600). */
export const OPERATOR_TOKEN_FILE = 'operator-token';
/** The cookie lasts a working day, like a session; a restart makes a new token anyway. */
const COOKIE_SECONDS = 8 * 3600;

export function newOperatorToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Writes the token for the CLI: readable by its owner only, replaced at every start. */
export function writeOperatorToken(stateDir: string, token: string): string {
  const file = join(stateDir, OPERATOR_TOKEN_FILE);
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // an older file keeps its mode on overwrite
  return file;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
/** Compared in constant time (hashes first, so the lengths always match). */
export function sameToken(given: string | undefined, token: string): boolean {
  return given !== undefined && given !== '' && timingSafeEqual(digest(given), digest(token));
}

/** The token a request presents: bearer header first, then the cookie. */
export function presentedToken(req: Pick<IncomingMessage, 'headers'>): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim();
  const cookies = (req.headers.cookie ?? '').split(/;\s*/);
  const hit = cookies.find((c) => c.startsWith(`${OPERATOR_COOKIE}=`));
  return hit?.slice(OPERATOR_COOKIE.length + 1);
}

/** SameSite=Strict: never sent with a request another site starts. No Secure: the local system is plain http. */
export function operatorCookie(token: string): string {
  return `${OPERATOR_COOKIE}=${token}; Path=/; Max-Age=${COOKIE_SECONDS}; HttpOnly; SameSite=Strict`;
}

export function signinUrl(apiUrl: string, token: string): string {
  return `${apiUrl}/_local/signin?token=${encodeURIComponent(token)}`;
}
