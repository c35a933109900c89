/**
 * Issue 16: the remote (CSC-shaped) signing provider against a fake CA service on 127.0.0.1:
 * at once, pending then signed, rejected, expired, outages and refused connections.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CscAccount, CscSigningProvider } from '../../shared/adapters/signing/remote-csc-provider';
import { signDigest } from '../../shared/signing/local-ca';
import { completePdfSignature, preparePdfSignature, signPdf } from '../../shared/signing/pades';
import { sampleSignatureImage } from '../../shared/signing/sample-images';
import { verifyPdf } from '../../shared/signing/verify';
import { makeReportPdf, makeSigners, PERSON, SIGNATURE_BOX, type TestSigners } from '../support/signing';

type Json = Record<string, unknown>;

/** The fake service: what it answers is set per test; every call is recorded. */
const fake = {
  calls: [] as { path: string; body: Json; auth?: string }[],
  mode: 'sync' as 'sync' | 'async',
  /** Status codes to answer before behaving, per path. */
  failures: {} as Record<string, number[]>,
  results: [] as Json[],
  pending: new Map<string, string>(),
};
let signers: TestSigners;
let report: Buffer;
let server: Server;
let baseUrl: string;

async function answer(path: string, body: Json): Promise<[number, Json]> {
  const fail = fake.failures[path]?.shift();
  if (fail) return [fail, { error: 'server_error' }];
  switch (path) {
    case 'oauth2/token':
      return body.client_secret === 'bi-mat'
        ? [200, { access_token: 'tok-1', expires_in: 3600 }]
        : [401, { error: 'invalid_client', error_description: 'Sai mã bí mật' }];
    case 'credentials/list':
      return [200, { credentialIDs: ['cred-pgd'] }];
    case 'credentials/info':
      return [
        200,
        {
          key: { algo: ['1.2.840.113549.1.1.1'] },
          cert: { certificates: signers.person.chain.map((c) => Buffer.from(c).toString('base64')) },
        },
      ];
    case 'signatures/signHash': {
      const hash = Buffer.from((body.hashes as string[])[0], 'base64');
      if (fake.mode === 'sync') return [200, { signatures: [Buffer.from(await signDigest(signers.person.key, hash)).toString('base64')] }];
      const id = `resp-${fake.pending.size + 1}`;
      fake.pending.set(id, (body.hashes as string[])[0]);
      return [200, { responseID: id, expiresIn: 300 }];
    }
    case 'signatures/result': {
      const next = fake.results.shift() ?? { status: 'PENDING' };
      if (next.status !== 'SIGNED') return [200, next];
      const hash = Buffer.from(fake.pending.get(String(body.responseID)) ?? '', 'base64');
      return [200, { status: 'SIGNED', signatures: [Buffer.from(await signDigest(signers.person.key, hash)).toString('base64')] }];
    }
    default:
      return [404, { error: 'not_found' }];
  }
}

beforeAll(async () => {
  signers = await makeSigners();
  report = await makeReportPdf();
  server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => {
      data += c;
    });
    req.on('end', async () => {
      const path = (req.url ?? '').replace(/^\/csc\/v2\//, '');
      const body = JSON.parse(data || '{}') as Json;
      fake.calls.push({ path, body, auth: req.headers.authorization });
      const [status, json] = await answer(path, body);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/csc/v2`;
}, 30_000);
afterAll(() => new Promise((r) => server.close(r)));
beforeEach(() => {
  fake.calls = [];
  fake.mode = 'sync';
  fake.failures = {};
  fake.results = [];
});

const account = (o: Partial<CscAccount> = {}): CscAccount => ({
  baseUrl,
  clientId: 'baocao',
  clientSecret: 'bi-mat',
  userId: '0912345678',
  ...o,
});
const provider = (o: Partial<CscAccount> = {}) =>
  new CscSigningProvider({ accountFor: () => account(o), serviceName: 'SmartCA thử nghiệm', retryDelayMs: 5, testOnly: true });
const opts = {
  appearance: { kind: 'person' as const, box: SIGNATURE_BOX, image: sampleSignatureImage() },
  requestId: 'bc-1/v1',
  description: 'Ký báo cáo số 05/BC-SCT',
};
const paths = () => fake.calls.map((c) => c.path);

describe('remote CSC provider', () => {
  it('signs a hash answered at once; the chain comes from credentials/info and the PDF verifies', async () => {
    const signed = await signPdf(provider(), PERSON, report, opts);
    expect((await verifyPdf(signed, { trustedRoots: [signers.ca.rootCertificate] })).ok).toBe(true);
    expect(paths()).toEqual(['oauth2/token', 'credentials/list', 'credentials/info', 'signatures/signHash']);
    const signHash = fake.calls[3];
    expect(signHash.auth).toBe('Bearer tok-1');
    expect(signHash.body).toMatchObject({
      credentialID: 'cred-pgd',
      hashAlgorithmOID: '2.16.840.1.101.3.4.2.1',
      clientData: 'bc-1/v1',
      validity_period: 300,
    });
  });

  it('answers pending, then signed once the person confirms on their phone', async () => {
    fake.mode = 'async';
    const p = provider();
    const credential = await p.credential(PERSON);
    const prepared = await preparePdfSignature(report, { appearance: opts.appearance, credential });
    const first = await p.requestSignature(PERSON, { requestId: 'bc-1/v1', description: opts.description, digest: prepared.digest });
    if (first.status !== 'pending') throw new Error(`expected pending, got ${first.status}`);
    fake.results = [{ status: 'PENDING' }, { status: 'SIGNED' }];
    expect((await p.pollSignature(PERSON, first.transactionId)).status).toBe('pending');
    const done = await p.pollSignature(PERSON, first.transactionId);
    if (done.status !== 'signed') throw new Error(`expected signed, got ${done.status}`);
    const signed = completePdfSignature(prepared, done.signature, credential);
    expect((await verifyPdf(signed, { trustedRoots: [signers.ca.rootCertificate] })).ok).toBe(true);
  });

  it('passes on a rejection with its reason and an expiry', async () => {
    fake.results = [{ status: 'REJECTED', reason: 'Người ký từ chối: sai số liệu' }, { status: 'EXPIRED' }];
    const p = provider();
    expect(await p.pollSignature(PERSON, 'resp-9')).toEqual({ status: 'rejected', reason: 'Người ký từ chối: sai số liệu' });
    expect(await p.pollSignature(PERSON, 'resp-9')).toEqual({ status: 'expired' });
    fake.mode = 'async';
    await expect(signPdf(p, PERSON, report, opts)).rejects.toMatchObject({ code: 'provider-refused', retryable: true });
  });

  it('retries safe reads through a 5xx outage', async () => {
    fake.failures = { 'credentials/info': [503, 502] };
    await provider().credential(PERSON);
    expect(paths().filter((p) => p === 'credentials/info')).toHaveLength(3);
  });

  it('does not resend signHash after a 5xx (the phone may already show it) and says so', async () => {
    fake.failures = { 'signatures/signHash': [503, 503, 503] };
    const err = await signPdf(provider(), PERSON, report, opts).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'provider-unavailable', retryable: true, status: 503 });
    expect((err as Error).message).toBe(
      'Không kết nối được SmartCA thử nghiệm (lỗi 503). Yêu cầu ký có thể đã tới điện thoại người ký: kiểm tra trước khi gửi lại.',
    );
    expect(paths().filter((p) => p === 'signatures/signHash')).toHaveLength(1);
  });

  it('gives up on a refused connection after its attempts, with a Vietnamese message', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const err = await provider({ baseUrl: `http://127.0.0.1:${port}/csc/v2` })
      .credential(PERSON)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'provider-unavailable', retryable: true });
    expect((err as Error).message).toBe('Không kết nối được SmartCA thử nghiệm (từ chối kết nối).');
  });

  it('reports wrong account credentials as a configuration problem, not an outage', async () => {
    await expect(provider({ clientSecret: 'sai' }).credential(PERSON)).rejects.toMatchObject({
      code: 'provider-config',
      message: 'SmartCA thử nghiệm từ chối thông tin đăng nhập (Sai mã bí mật).',
    });
    const none = new CscSigningProvider({ accountFor: () => undefined });
    await expect(none.credential(PERSON)).rejects.toThrow(
      'Chưa cấu hình tài khoản dịch vụ ký số từ xa cho người ký pgd (so-cong-thuong-dong-nai).',
    );
  });
});
