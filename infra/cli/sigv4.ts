/**
 * SigV4 for the deployed API: the operator routes under /api are IAM-authorized on AWS, so the
 * CLI signs them with the caller's usual AWS credentials (env, profile, SSO…). Loopback URLs
 * (the local system) are never signed.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';

/** The checksum shape signature-v4 expects, on Node's crypto. */
export class Sha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.fresh();
  }
  private fresh() {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView) {
    this.hash.update(toBuffer(data));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
  reset() {
    this.hash = this.fresh();
  }
}

function toBuffer(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

export function isLoopback(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(url.hostname);
}

/** API Gateway HTTP API hosts carry their region: <id>.execute-api.<region>.amazonaws.com. */
export function regionOf(url: URL): string | undefined {
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(url.hostname)?.[1] ?? process.env.AWS_REGION;
}

let signer: SignatureV4 | undefined;

/** Headers to add to a request so an IAM-authorized HTTP API route accepts it. */
export async function signedHeaders(url: URL, init: { method?: string; headers?: Record<string, string>; body?: string }) {
  const region = regionOf(url);
  if (!region) throw new Error('Không xác định được vùng AWS của địa chỉ API; hãy đặt biến AWS_REGION.');
  signer ??= new SignatureV4({ service: 'execute-api', region, credentials: defaultProvider(), sha256: Sha256 });
  const signed = await signer.sign({
    method: init.method ?? 'GET',
    protocol: url.protocol,
    hostname: url.hostname,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: { host: url.host, ...(init.headers ?? {}) },
    body: init.body,
  });
  return signed.headers as Record<string, string>;
}
