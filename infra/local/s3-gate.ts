import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import { join, resolve, sep } from 'node:path';
import { closeServer, LOOPBACK, listen, urlOf } from './ports';
import { type Credentials, type S3Refusal, verifyPostPolicy, verifySignature } from './s3-auth';

/**
 * The local S3's front door: every request passes here before s3rver sees it, and is refused
 * the way S3 refuses it (XML error, same status and code): unsigned or wrongly signed requests
 * (anonymous reads, lists and writes included), expired presigned URLs, browser POSTs that break
 * their policy (signature, expiry, key, Content-Type, content-length-range), and any key that
 * would resolve outside the emulator's folder (s3rver maps keys to paths). CORS preflights pass,
 * as on S3, and refusals carry CORS headers so the browser form can read them.
 */

export interface S3Gate {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface S3GateOptions {
  /** Where s3rver listens (loopback). */
  target: number;
  bucket: string;
  /** The folder s3rver keeps buckets in: no key may resolve outside it. */
  root: string;
  credentials: Credentials;
  port?: number;
  log?: (line: string) => void;
  /** Tests: the clock the checks use. */
  now?: () => Date;
}

/** A browser POST is read whole to check its policy: beyond this, refused before reading on. */
const MAX_POST_BYTES = 64 * 1024 * 1024;

// biome-ignore lint/suspicious/noTemplateCurlyInString: S3's POST variable, literally
const FILENAME_VARIABLE = '${filename}';

const xmlEscape = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

function sendError(req: IncomingMessage, res: ServerResponse, r: S3Refusal) {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${r.code}</Code><Message>${xmlEscape(r.message)}</Message><RequestId>${randomUUID()}</RequestId></Error>`;
  const headers: Record<string, string> = { 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(body)) };
  if (req.headers.origin) {
    headers['access-control-allow-origin'] = '*';
    headers['access-control-expose-headers'] = 'ETag';
  }
  res.writeHead(r.status, headers);
  // HEAD answers carry no body; the status says it all.
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * Why a key (decoded, as s3rver will use it) may not be stored: s3rver writes `<root>/<bucket>/<key>`
 * with the key's slashes as folders, so "..", "." and NUL would leave (or confuse) the folder.
 */
export function unsafeKey(root: string, bucket: string, key: string): S3Refusal | undefined {
  const bad = () => ({
    status: 400,
    code: 'InvalidArgument',
    message: `Key not allowed by the local emulator: ${JSON.stringify(key.slice(0, 200))}`,
  });
  // A leading "/" (an absolute-looking key) is a key S3 stores, but s3rver's router never finds it: refused here in XML.
  if (key.includes('\0') || key.startsWith('/')) return bad();
  const parts = key.split('/');
  if (parts.some((p) => p === '..' || p === '.')) return bad();
  const bucketDir = resolve(join(root, bucket));
  const path = resolve(join(bucketDir, ...parts.slice(0, -1)));
  if (path !== bucketDir && !path.startsWith(bucketDir + sep)) return bad();
  return undefined;
}

/** The bucket and key a path-style request names, decoded as s3rver's router decodes them; null when an escape is malformed. */
function target(rawPath: string): { bucket: string; key: string } | null {
  try {
    const [, bucket = '', ...rest] = rawPath.split('/');
    return { bucket: decodeURIComponent(bucket), key: decodeURIComponent(rest.join('/')) };
  } catch {
    return null;
  }
}

/** A bucket name that would be a folder other than a direct child of the root. */
function unsafeBucket(root: string, bucket: string): S3Refusal | undefined {
  if (bucket === '') return undefined; // the service itself (ListBuckets)
  const dir = resolve(join(root, bucket));
  if (bucket.includes('\0') || dir === resolve(root) || resolve(dir, '..') !== resolve(root) || bucket.includes('/'))
    return { status: 400, code: 'InvalidBucketName', message: 'The specified bucket is not valid.' };
  return undefined;
}

function readAll(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.destroy();
        done(null);
      } else chunks.push(c);
    });
    req.on('end', () => done(Buffer.concat(chunks)));
    req.on('error', fail);
  });
}

/** The text fields before the file part, and the file's size, of a multipart/form-data body. */
export function parseMultipart(
  body: Buffer,
  contentType: string,
): { fields: Array<[string, string]>; fileSize?: number; fileName?: string } | null {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!m) return null;
  const delimiter = Buffer.from(`--${m[1] ?? m[2]}`);
  const fields: Array<[string, string]> = [];
  let pos = body.indexOf(delimiter);
  if (pos === -1) return null;
  while (true) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === '--') return { fields };
    pos += 2; // CRLF after the delimiter
    const headEnd = body.indexOf('\r\n\r\n', pos);
    if (headEnd === -1) return null;
    const head = body.subarray(pos, headEnd).toString('utf8');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headEnd + 4);
    if (next === -1) return null;
    const content = body.subarray(headEnd + 4, next);
    const name = /name="([^"]*)"/i.exec(head)?.[1];
    const fileName = /filename="([^"]*)"/i.exec(head)?.[1];
    if (name === undefined) return null;
    // S3 reads the fields up to the file; whatever follows it is ignored.
    if (name.toLowerCase() === 'file') return { fields, fileSize: content.length, fileName };
    fields.push([name, content.toString('utf8')]);
    pos = next + 2;
  }
}

export async function startS3Gate(opts: S3GateOptions): Promise<S3Gate> {
  const now = opts.now ?? (() => new Date());
  const forward = (req: IncomingMessage, res: ServerResponse, body?: Buffer) => {
    const headers = { ...req.headers };
    if (body) headers['content-length'] = String(body.length);
    const up = request({ host: LOOPBACK, port: opts.target, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.pipe(res);
    });
    up.on('error', (err) => {
      opts.log?.(`S3: chuyển yêu cầu tới s3rver thất bại: ${err.message}`);
      if (!res.headersSent) sendError(req, res, { status: 503, code: 'ServiceUnavailable', message: 'Please reduce your request rate.' });
      else res.destroy();
    });
    if (body) up.end(body);
    else req.pipe(up);
  };

  const server = createServer(async (req, res) => {
    try {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const where = target(q === -1 ? url : url.slice(0, q));
      if (!where) return sendError(req, res, { status: 400, code: 'InvalidURI', message: "Couldn't parse the specified URI." });
      const unsafe = unsafeBucket(opts.root, where.bucket) ?? unsafeKey(opts.root, where.bucket || opts.bucket, where.key);
      if (unsafe) return sendError(req, res, unsafe);
      const copySource = req.headers['x-amz-copy-source'];
      if (typeof copySource === 'string') {
        const src = target(copySource.startsWith('/') ? copySource : `/${copySource}`);
        const bad = src
          ? (unsafeBucket(opts.root, src.bucket) ?? unsafeKey(opts.root, src.bucket || opts.bucket, src.key))
          : { status: 400, code: 'InvalidArgument', message: 'Invalid copy source.' };
        if (bad) return sendError(req, res, bad);
      }
      // A CORS preflight carries no credentials, on S3 too.
      if (req.method === 'OPTIONS') return forward(req, res);

      const isFormPost =
        req.method === 'POST' && q === -1 && where.key === '' && /^multipart\/form-data/i.test(req.headers['content-type'] ?? '');
      if (isFormPost) {
        const body = await readAll(req, MAX_POST_BYTES);
        if (!body)
          return sendError(req, res, {
            status: 400,
            code: 'EntityTooLarge',
            message: 'Your proposed upload exceeds the maximum allowed size',
          });
        const form = parseMultipart(body, req.headers['content-type'] ?? '');
        if (!form || form.fileSize === undefined)
          return sendError(req, res, {
            status: 400,
            code: 'MalformedPOSTRequest',
            message: 'The body of your POST request is not well-formed multipart/form-data.',
          });
        const refused = verifyPostPolicy(form.fields, form.fileSize, where.bucket, opts.credentials, now());
        if (refused) return sendError(req, res, refused);
        const key = form.fields.find(([k]) => k.toLowerCase() === 'key')?.[1] ?? '';
        // S3 puts the file's name in place of "${filename}": the key that will really be written.
        const unsafeForm = unsafeKey(opts.root, where.bucket, key.replaceAll(FILENAME_VARIABLE, form.fileName ?? ''));
        if (unsafeForm) return sendError(req, res, unsafeForm);
        return forward(req, res, body);
      }
      const refused = verifySignature({ method: req.method ?? 'GET', url, headers: req.headers }, opts.credentials, now());
      if (refused) {
        // Drain what the client sends so it reads the answer rather than a reset connection.
        req.resume();
        return sendError(req, res, refused);
      }
      forward(req, res);
    } catch (err) {
      opts.log?.(`S3: lỗi ở cổng kiểm tra: ${(err as Error)?.stack ?? err}`);
      if (!res.headersSent)
        sendError(req, res, { status: 500, code: 'InternalError', message: 'We encountered an internal error. Please try again.' });
      else res.destroy();
    }
  });
  const port = await listen(server, opts.port ?? 0);
  return { url: urlOf(port), port, stop: () => closeServer(server) };
}
