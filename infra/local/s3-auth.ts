import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * What S3 checks before it serves a request, for the local emulator's gate (s3-gate.ts): AWS
 * Signature Version 4 (Authorization header or presigned query) and the policy of a browser
 * POST. s3rver itself accepts anonymous requests and never verifies a V4 signature, so without
 * these a local test could pass against a contract AWS would refuse.
 * Payload hashes are not recomputed (x-amz-content-sha256 is signed as sent): the signature is
 * what authorizes the request.
 */

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** An S3 error as S3 answers it: HTTP status, code and message (English, as the SDKs expect). */
export interface S3Refusal {
  status: number;
  code: string;
  message: string;
}

const refuse = (status: number, code: string, message: string): S3Refusal => ({ status, code, message });
const denied = (message: string) => refuse(403, 'AccessDenied', message);
const NO_MATCH = refuse(
  403,
  'SignatureDoesNotMatch',
  'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
);

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');

/** The SigV4 signing key of one day, region and service. */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** RFC 3986 encoding, as SigV4 canonicalizes query names and values. */
const encode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function decodeOrNull(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/** "20261205T073200Z" → Date, or undefined. */
function parseAmzDate(s: string | undefined): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s ?? '');
  if (!m) return undefined;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Credential "AKID/20261205/local/s3/aws4_request", checked against the known key. */
function parseCredential(
  credential: string,
  creds: Credentials,
): { scope: string; date: string; region: string; service: string } | S3Refusal {
  const [akid, date, region, service, term, ...rest] = credential.split('/');
  if (!akid || !date || !region || !service || term !== 'aws4_request' || rest.length > 0)
    return refuse(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed; the Credential is mal-formed.');
  if (akid !== creds.accessKeyId)
    return refuse(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
  return { scope: `${date}/${region}/${service}/aws4_request`, date, region, service };
}

export interface SignedRequest {
  method: string;
  /** The request target as received: raw path and raw query. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

const header = (h: SignedRequest['headers'], name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v.join(',') : v;
};

/** The raw query as (name, value) pairs, decoded; null when an escape is malformed. */
function queryPairs(rawQuery: string): Array<[string, string]> | null {
  const out: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = decodeOrNull(eq === -1 ? part : part.slice(0, eq));
    const v = decodeOrNull(eq === -1 ? '' : part.slice(eq + 1));
    if (k === null || v === null) return null;
    out.push([k, v]);
  }
  return out;
}

function canonicalRequest(req: SignedRequest, path: string, pairs: Array<[string, string]>, signedHeaders: string[], payload: string) {
  const query = pairs
    .map(([k, v]) => [encode(k), encode(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const headers = signedHeaders.map((h) => `${h}:${(header(req.headers, h) ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  return [req.method.toUpperCase(), path, query, headers, signedHeaders.join(';'), payload].join('\n');
}

/** A request AWS would refuse for its signature: why; undefined when it is signed by `creds` and current. */
export function verifySignature(req: SignedRequest, creds: Credentials, now = new Date()): S3Refusal | undefined {
  const q = req.url.indexOf('?');
  const path = q === -1 ? req.url : req.url.slice(0, q);
  const pairs = queryPairs(q === -1 ? '' : req.url.slice(q + 1));
  if (!pairs) return refuse(400, 'InvalidArgument', 'Malformed query string.');
  const query = new Map(pairs);
  const authorization = header(req.headers, 'authorization');

  if (query.has('X-Amz-Signature') || query.has('X-Amz-Algorithm')) {
    if (authorization) return refuse(400, 'InvalidArgument', 'Only one auth mechanism allowed.');
    if (query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256')
      return refuse(400, 'AuthorizationQueryParametersError', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
    const given = query.get('X-Amz-Signature');
    const date = parseAmzDate(query.get('X-Amz-Date'));
    const expires = Number(query.get('X-Amz-Expires'));
    const signed = query.get('X-Amz-SignedHeaders');
    const credential = query.get('X-Amz-Credential');
    if (!given || !date || !signed || !credential || !Number.isInteger(expires) || expires < 1 || expires > 604_800)
      return refuse(400, 'AuthorizationQueryParametersError', 'Query-string authentication version 4 requires valid X-Amz-* parameters.');
    if (now.getTime() > date.getTime() + expires * 1000) return denied('Request has expired');
    const cred = parseCredential(credential, creds);
    if ('status' in cred) return cred;
    const unsigned = pairs.filter(([k]) => k !== 'X-Amz-Signature');
    const canonical = canonicalRequest(req, path, unsigned, signed.split(';'), 'UNSIGNED-PAYLOAD');
    return check(given, query.get('X-Amz-Date')!, cred, canonical, creds);
  }

  if (!authorization) return denied('Access Denied');
  const m = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(authorization.trim());
  if (!m) return refuse(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed.');
  const [, credential, signed, given] = m;
  const amzDate = header(req.headers, 'x-amz-date');
  const date = parseAmzDate(amzDate);
  if (!date) return denied('AWS authentication requires a valid Date or x-amz-date header');
  if (Math.abs(now.getTime() - date.getTime()) > 15 * 60_000)
    return refuse(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
  const payload = header(req.headers, 'x-amz-content-sha256');
  if (!payload) return refuse(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  const signedHeaders = signed.split(';');
  if (!signedHeaders.includes('host')) return NO_MATCH;
  const cred = parseCredential(credential, creds);
  if ('status' in cred) return cred;
  return check(given, amzDate!, cred, canonicalRequest(req, path, pairs, signedHeaders, payload), creds);
}

function check(
  given: string,
  amzDate: string,
  cred: { scope: string; date: string; region: string; service: string },
  canonical: string,
  creds: Credentials,
) {
  if (!amzDate.startsWith(cred.date) || cred.service !== 's3') return NO_MATCH;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, cred.scope, sha256Hex(canonical)].join('\n');
  const expected = hmac(signingKey(creds.secretAccessKey, cred.date, cred.region, cred.service), toSign).toString('hex');
  return sameHex(given, expected) ? undefined : NO_MATCH;
}

// ----- browser POST (form upload with a policy) -----

/** Fields S3 does not require a policy condition for. */
const UNCONDITIONED = new Set(['policy', 'x-amz-signature', 'file']);

/**
 * The policy of a POST upload, as S3 enforces it: signature over the base64 policy, expiry,
 * every condition (exact match, starts-with, content-length-range) and a condition for every
 * field sent. `fields` are the form fields before the file, names as sent.
 */
export function verifyPostPolicy(
  fields: Array<[string, string]>,
  fileSize: number,
  bucket: string,
  creds: Credentials,
  now = new Date(),
): S3Refusal | undefined {
  const f = new Map<string, string>();
  for (const [k, v] of fields) f.set(k.toLowerCase(), v);
  f.set('bucket', bucket);
  const policyB64 = f.get('policy');
  const signature = f.get('x-amz-signature');
  const credential = f.get('x-amz-credential');
  const amzDate = f.get('x-amz-date');
  if (!policyB64 || !signature || !credential || !amzDate || f.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256')
    return refuse(
      400,
      'InvalidArgument',
      'Bucket POST must contain the fields policy, x-amz-algorithm, x-amz-credential, x-amz-date and x-amz-signature.',
    );
  const cred = parseCredential(credential, creds);
  if ('status' in cred) return cred;
  if (!amzDate.startsWith(cred.date) || cred.service !== 's3') return NO_MATCH;
  const expected = hmac(signingKey(creds.secretAccessKey, cred.date, cred.region, cred.service), policyB64).toString('hex');
  if (!sameHex(signature, expected)) return NO_MATCH;

  let policy: { expiration?: unknown; conditions?: unknown };
  try {
    policy = JSON.parse(Buffer.from(policyB64, 'base64').toString('utf8'));
  } catch {
    return refuse(400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid JSON.');
  }
  const expiration = typeof policy.expiration === 'string' ? Date.parse(policy.expiration) : Number.NaN;
  if (Number.isNaN(expiration)) return refuse(400, 'InvalidPolicyDocument', "Invalid Policy: Invalid 'expiration' value.");
  if (now.getTime() > expiration) return denied('Invalid according to Policy: Policy expired.');
  if (!Array.isArray(policy.conditions)) return refuse(400, 'InvalidPolicyDocument', "Invalid Policy: Invalid 'conditions' value.");

  const covered = new Set<string>();
  for (const c of policy.conditions as unknown[]) {
    const problem = condition(c, f, fileSize, covered);
    if (problem) return problem;
  }
  for (const name of f.keys()) {
    if (UNCONDITIONED.has(name) || name.startsWith('x-ignore-') || covered.has(name)) continue;
    return denied(`Invalid according to Policy: Extra input fields: ${name}`);
  }
  return undefined;
}

function condition(c: unknown, f: Map<string, string>, fileSize: number, covered: Set<string>): S3Refusal | undefined {
  const failed = (what: string) => denied(`Invalid according to Policy: Policy Condition failed: ${what}`);
  if (c && typeof c === 'object' && !Array.isArray(c)) {
    const entries = Object.entries(c as Record<string, unknown>);
    if (entries.length !== 1) return refuse(400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid Simple-Condition.');
    const [name, value] = entries[0];
    const key = name.toLowerCase();
    covered.add(key);
    return f.get(key) === String(value) ? undefined : failed(`["eq", "$${name}", ${JSON.stringify(value)}]`);
  }
  if (!Array.isArray(c) || c.length !== 3) return refuse(400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid condition.');
  const [op, a, b] = c as [unknown, unknown, unknown];
  if (op === 'content-length-range') {
    const min = Number(a);
    const max = Number(b);
    if (fileSize > max) return refuse(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
    if (fileSize < min) return refuse(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size');
    return undefined;
  }
  if ((op !== 'eq' && op !== 'starts-with') || typeof a !== 'string' || !a.startsWith('$'))
    return refuse(400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid condition.');
  const key = a.slice(1).toLowerCase();
  covered.add(key);
  const value = f.get(key) ?? '';
  const ok = op === 'eq' ? value === String(b) : value.startsWith(String(b));
  return ok ? undefined : failed(JSON.stringify(c));
}
