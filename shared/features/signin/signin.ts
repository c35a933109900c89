import type { Organization } from '../../config/schema';
import { newLinkSecret, sha256 } from '../../crypto';
import { publicUrl } from '../../http/url';
import { log } from '../../log';
import type { Clock, Mailer } from '../../ports';
import { signinEmail } from './emails';
import type { SigninStore } from './ports';

/**
 * The compiler's sign-in (ARCHITECTURE "Who may do what"): an emailed single-use link, confirmed
 * by a POST (mail scanners open links), then a short session cookie. Only hashes are stored.
 */
const SIGNIN_LINK_MINUTES = 15;
const SESSION_HOURS = 8;
export const SESSION_COOKIE = 'bc_session';

export interface SigninDeps {
  signin: SigninStore;
  mailer: Mailer;
  organization: Organization;
  baseUrl: string;
  now: Clock;
  /** Floor of the sign-in request's answer time (tests shorten it); SIGNIN_ANSWER_MS by default. */
  signinAnswerMs?: number;
}

/** Who may sign in: a compiler (Văn phòng) of the organization; the address as configured. */
function compilerOf(org: Organization, email: string) {
  return org.compilers.find((c) => c.email.toLowerCase() === email.trim().toLowerCase());
}

/** Attempts per address and per source within one window (mail-bombing, address probing). */
export const SIGNIN_RATE = { limit: 5, windowMinutes: 15 };
/** Every sign-in request answers after this long at least: a known address (mail sent) and an unknown one look alike. */
export const SIGNIN_ANSWER_MS = 800;

function rateWindow(now: Date): { start: string; end: string } {
  const span = SIGNIN_RATE.windowMinutes * 60_000;
  const start = Math.floor(now.getTime() / span) * span;
  return { start: new Date(start).toISOString(), end: new Date(start + span).toISOString() };
}

/**
 * Sends a link when the address may sign in; says nothing either way (no account probing):
 * the same answer, after the same time (the floor), for any address. 'limited' when the address or the
 * source has asked too often in this window (whether or not the address is known).
 */
export async function requestSignin(deps: SigninDeps, email: string, source?: string): Promise<'done' | 'limited'> {
  const floor = new Promise((r) => setTimeout(r, deps.signinAnswerMs ?? SIGNIN_ANSWER_MS));
  const window = rateWindow(deps.now());
  const buckets = [`addr#${sha256(email.trim().toLowerCase())}`, ...(source ? [`ip#${source}`] : [])];
  let allowed = true;
  for (const b of buckets) if (!(await deps.signin.countAttempt(b, window, SIGNIN_RATE.limit))) allowed = false;
  const compiler = compilerOf(deps.organization, email);
  if (allowed && compiler) {
    // Work only a known address causes: waited for up to the floor, never beyond it (a slow
    // mail server must not tell a known address apart); past the floor it finishes on its own.
    const work = sendSigninLink(deps, compiler).catch((err: unknown) =>
      log.error('signin mail failed', { error: err instanceof Error ? err.message : String(err) }),
    );
    await Promise.race([work, floor]);
  }
  await floor;
  return allowed ? 'done' : 'limited';
}

async function sendSigninLink(deps: SigninDeps, compiler: { email: string }): Promise<void> {
  const { secret, hash } = newLinkSecret();
  const expiresAt = new Date(deps.now().getTime() + SIGNIN_LINK_MINUTES * 60_000).toISOString();
  await deps.signin.put(hash, { kind: 'link', email: compiler.email, expiresAt, status: 'pending', orgId: deps.organization.id });
  await deps.mailer.send(
    signinEmail({ to: [compiler.email], url: publicUrl(deps.baseUrl, `signin/${secret}`), minutes: SIGNIN_LINK_MINUTES }),
  );
}

export type SigninProblem = 'unknown' | 'used' | 'expired';

export async function inspectSigninLink(deps: Pick<SigninDeps, 'signin' | 'now'>, secret: string): Promise<SigninProblem | undefined> {
  const rec = await deps.signin.get(sha256(secret));
  if (rec?.kind !== 'link') return 'unknown';
  if (rec.status !== 'pending') return 'used';
  if (new Date(rec.expiresAt) <= deps.now()) return 'expired';
  return undefined;
}

/** POST on the link: consume it once and open a session; returns the cookie value. */
export async function completeSignin(deps: Pick<SigninDeps, 'signin' | 'now'>, secret: string) {
  const problem = await inspectSigninLink(deps, secret);
  if (problem) return { ok: false as const, problem };
  const hash = sha256(secret);
  const rec = await deps.signin.get(hash);
  if (!rec || !(await deps.signin.consume(hash))) return { ok: false as const, problem: 'used' as SigninProblem };
  const session = newLinkSecret();
  const expiresAt = new Date(deps.now().getTime() + SESSION_HOURS * 3600_000).toISOString();
  await deps.signin.put(session.hash, { kind: 'session', email: rec.email, expiresAt, status: 'active', orgId: rec.orgId });
  return { ok: true as const, cookie: session.secret, email: rec.email, maxAgeSeconds: SESSION_HOURS * 3600 };
}

/** The signed-in compiler's address, if the request carries a live session cookie. */
export async function sessionUser(deps: Pick<SigninDeps, 'signin' | 'now'>, cookieValue: string | undefined) {
  return (await sessionOf(deps, cookieValue))?.email;
}

/** The live session of a cookie: who, and of which organization. */
export async function sessionOf(deps: Pick<SigninDeps, 'signin' | 'now'>, cookieValue: string | undefined) {
  if (!cookieValue) return undefined;
  const rec = await deps.signin.get(sha256(cookieValue));
  if (rec?.kind !== 'session' || new Date(rec.expiresAt) <= deps.now()) return undefined;
  return { email: rec.email, orgId: rec.orgId };
}

export async function endSession(deps: Pick<SigninDeps, 'signin'>, cookieValue: string | undefined) {
  if (cookieValue) await deps.signin.remove(sha256(cookieValue));
}

export function sessionCookie(value: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; Secure; SameSite=Strict`;
}

export function readCookie(cookies: string[] | undefined, header: string | undefined, name = SESSION_COOKIE) {
  const all = [...(cookies ?? []), ...(header ? header.split(/;\s*/) : [])];
  const hit = all.find((c) => c.startsWith(`${name}=`));
  return hit ? hit.slice(name.length + 1) : undefined;
}
