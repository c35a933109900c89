/** Issue 16: the local and KMS signing providers behind the SigningProvider port. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KmsSigningProvider, kmsOptionsFromJson } from '../../shared/adapters/signing/kms-provider';
import { LOCAL_REQUEST_TTL_MS, LocalSigningProvider } from '../../shared/adapters/signing/local-provider';
import { loadOrCreateLocalCa, signDigest } from '../../shared/signing/local-ca';
import { completePdfSignature, preparePdfSignature, signPdf } from '../../shared/signing/pades';
import { sampleSignatureImage } from '../../shared/signing/sample-images';
import { verifyPdf } from '../../shared/signing/verify';
import { makeReportPdf, makeSigners, ORGANIZATION, PERSON, SIGNATURE_BOX, type TestSigners } from '../support/signing';

let signers: TestSigners;
let report: Buffer;
let dir: string;
const subjectOf = () => ({ commonName: 'Nguyễn Văn An', organization: 'Sở Công Thương' });
const appearance = () => ({ kind: 'person' as const, box: SIGNATURE_BOX, image: sampleSignatureImage() });
const request = (id = 'bc-2021-q1/v1/person') => ({ requestId: id, description: 'Ký báo cáo số 05/BC-SCT' });

beforeAll(async () => {
  signers = await makeSigners();
  report = await makeReportPdf();
  dir = await mkdtemp(join(tmpdir(), 'baocao-sign-'));
}, 30_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('local provider', () => {
  it('signs at once in auto mode, with a test-only credential', async () => {
    const provider = new LocalSigningProvider({ ca: signers.ca, subjectOf });
    expect((await provider.credential(PERSON)).testOnly).toBe(true);
    const signed = await signPdf(provider, PERSON, report, { appearance: appearance(), ...request() });
    const result = await verifyPdf(signed, { trustedRoots: [signers.ca.rootCertificate] });
    expect(result.ok).toBe(true);
    expect(result.signatures[0].signerName).toBe('Nguyễn Văn An');
  });

  it('waits for the confirmation in confirm mode, and a retried request gets the same transaction', async () => {
    const provider = new LocalSigningProvider({ ca: signers.ca, subjectOf, mode: 'confirm' });
    const credential = await provider.credential(PERSON);
    const prepared = await preparePdfSignature(report, { appearance: appearance(), credential });
    const first = await provider.requestSignature(PERSON, { ...request(), digest: prepared.digest });
    const again = await provider.requestSignature(PERSON, { ...request(), digest: prepared.digest });
    if (first.status !== 'pending') throw new Error(`expected pending, got ${first.status}`);
    expect(again).toEqual(first);
    expect(await provider.pollSignature(PERSON, first.transactionId)).toMatchObject({ status: 'pending' });
    expect((await provider.pending()).map((t) => t.description)).toEqual(['Ký báo cáo số 05/BC-SCT']);
    await provider.confirm(first.transactionId);
    const answer = await provider.pollSignature(PERSON, first.transactionId);
    if (answer.status !== 'signed') throw new Error(`expected signed, got ${answer.status}`);
    const signed = completePdfSignature(prepared, answer.signature, credential);
    expect((await verifyPdf(signed, { trustedRoots: [signers.ca.rootCertificate] })).ok).toBe(true);
  });

  it('expires an unconfirmed request after five minutes and answers a rejection with its reason', async () => {
    let now = new Date('2026-01-05T07:00:00Z');
    const provider = new LocalSigningProvider({ ca: signers.ca, subjectOf, mode: 'confirm', now: () => now });
    const digest = new Uint8Array(32).fill(7);
    const a = await provider.requestSignature(PERSON, { ...request('a'), digest });
    const b = await provider.requestSignature(PERSON, { ...request('b'), digest });
    if (a.status !== 'pending' || b.status !== 'pending') throw new Error('expected pending');
    expect(a.expiresAt).toBe('2026-01-05T07:05:00.000Z');
    await provider.reject(b.transactionId, 'Sai số liệu mục 2');
    expect(await provider.pollSignature(PERSON, b.transactionId)).toEqual({ status: 'rejected', reason: 'Sai số liệu mục 2' });
    now = new Date(now.getTime() + LOCAL_REQUEST_TTL_MS);
    expect(await provider.pollSignature(PERSON, a.transactionId)).toEqual({ status: 'expired' });
    await expect(provider.confirm(a.transactionId)).rejects.toThrow('Yêu cầu ký đã hết hạn (quá 5 phút).');
    // Asked again after expiry: a new request the person can confirm.
    const renewed = await provider.requestSignature(PERSON, { ...request('a'), digest });
    expect(renewed.status === 'pending' && renewed.transactionId !== a.transactionId).toBe(true);
    await expect(provider.pollSignature(ORGANIZATION, a.transactionId)).rejects.toThrow(/Không có yêu cầu ký/);
  });

  it('keeps the CA, the signers and the pending requests across a restart', async () => {
    const ca1 = await loadOrCreateLocalCa(join(dir, 'signing'));
    const p1 = new LocalSigningProvider({ ca: ca1, subjectOf, mode: 'confirm', dir: join(dir, 'signing') });
    const cred1 = await p1.credential(PERSON);
    const pending = await p1.requestSignature(PERSON, { ...request(), digest: new Uint8Array(32).fill(1) });
    if (pending.status !== 'pending') throw new Error('expected pending');

    const ca2 = await loadOrCreateLocalCa(join(dir, 'signing'));
    const p2 = new LocalSigningProvider({ ca: ca2, subjectOf, mode: 'confirm', dir: join(dir, 'signing') });
    expect(Buffer.from(ca2.rootCertificate).equals(Buffer.from(ca1.rootCertificate))).toBe(true);
    expect((await p2.credential(PERSON)).chain).toEqual(cred1.chain);
    await p2.confirm(pending.transactionId);
    const answer = await p2.pollSignature(PERSON, pending.transactionId);
    expect(answer.status).toBe('signed');
    expect((await readFile(join(dir, 'signing', 'root.key.p8'))).length).toBeGreaterThan(1000);
  });
});

describe('KMS provider', () => {
  const kms = mockClient(KMSClient);
  beforeEach(() => kms.reset());
  const config = () =>
    kmsOptionsFromJson(
      JSON.stringify({
        testOnly: true,
        signers: {
          'so-cong-thuong-dong-nai/organization': {
            keyId: 'alias/baocao-seal',
            chain: signers.organization.chain.map((c) => Buffer.from(c).toString('base64')),
          },
        },
      }),
      new KMSClient({ region: 'ap-southeast-1' }),
    );

  it('signs the digest with Sign (DIGEST, PKCS#1 v1.5) and the PDF verifies with the configured chain', async () => {
    kms.on(SignCommand).callsFake(async (input) => ({ Signature: await signDigest(signers.organization.key, input.Message) }));
    const signed = await signPdf(new KmsSigningProvider(config()), ORGANIZATION, report, {
      appearance: { kind: 'attachment', documentNumber: '05/BC-SCT' },
      ...request(),
    });
    expect(kms.commandCalls(SignCommand)[0].args[0].input).toMatchObject({
      KeyId: 'alias/baocao-seal',
      MessageType: 'DIGEST',
      SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
    });
    const result = await verifyPdf(signed, { trustedRoots: [signers.ca.rootCertificate] });
    expect(result.ok).toBe(true);
    expect(result.signatures[0].signerName).toBe('Sở Công Thương');
  });

  it('tells a throttled call (retry) from a disabled key (configuration) and an unknown signer', async () => {
    const provider = new KmsSigningProvider(config());
    const digest = new Uint8Array(32);
    kms
      .on(SignCommand)
      .rejectsOnce(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }))
      .rejectsOnce(Object.assign(new Error('disabled'), { name: 'DisabledException' }));
    await expect(provider.requestSignature(ORGANIZATION, { ...request(), digest })).rejects.toMatchObject({
      code: 'provider-unavailable',
      retryable: true,
    });
    await expect(provider.requestSignature(ORGANIZATION, { ...request(), digest })).rejects.toMatchObject({
      code: 'provider-config',
      retryable: false,
    });
    await expect(provider.credential(PERSON)).rejects.toThrow('Chưa cấu hình khóa KMS cho người ký pgd (so-cong-thuong-dong-nai).');
  });

  it('names the wrong field of its configuration', () => {
    expect(() => kmsOptionsFromJson('{"signers":{"x/organization":{"keyId":"k","chain":[]}}}')).toThrow(
      'Cấu hình ký số KMS không hợp lệ ở: signers.x/organization.chain.',
    );
  });
});
