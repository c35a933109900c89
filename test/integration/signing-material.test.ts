/**
 * Signing material as organization data on the embedded S3 and DynamoDB (ADR 0048): the local
 * start seeds the sample organization's images through the store; the CLI puts and shows images
 * and chains (never bytes on stdout); the document keeps only references with SHA-256, so an
 * object changed behind its back is refused; each organization reaches only its own material.
 */
import { webcrypto } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import '../../shared/signing/reflect-shim';
import * as x509 from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../infra/cli/client';
import { main } from '../../infra/cli/main';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime';
import { withLocalSigning } from '../../infra/local/signing';
import { makeS3Client } from '../../shared/adapters/aws/s3-blob-store';
import { S3SigningMaterial } from '../../shared/adapters/aws/s3-signing-material';
import { organizationDeps } from '../../shared/adapters/wiring';
import { sha256 } from '../../shared/crypto';
import stp from '../../shared/sample/binhphuoc-stp/organization.json' with { type: 'json' };
import { encodePng, sampleSealImage, sampleSignatureImage } from '../../shared/signing/sample-images';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const SCT = withLocalSigning();
const PERSON = SCT.signing.signer.id;
/** A second organization whose competent person signs with a KMS key: KMS keeps no certificates. */
const STP = {
  ...stp,
  recordsClerk: { name: 'Văn thư', email: 'vanthu@stp.example.vn' },
  signing: {
    signer: {
      id: 'giam-doc',
      name: 'Lê Văn Cường',
      email: 'gd@stp.example.vn',
      provider: { provider: 'kms', keyId: 'alias/stp-giam-doc' },
    },
    organization: { provider: { provider: 'kms', keyId: 'alias/stp' } },
  },
};

let runtime: LocalRuntime;
let dir: string;
const saved = { ...process.env };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baocao-sigdata-'));
  // Every read sees the newest document (the product's cache lives 60 s).
  process.env.ORG_CACHE_SECONDS = '0';
  runtime = await startLocalRuntime({ stateDir: join(dir, 'state'), port: 0, organizations: [SCT, STP] });
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
});

async function cli(...args: string[]) {
  const lines: string[] = [];
  const code = await main([...args, '--api', runtime.urls.api], (l) => lines.push(l));
  return { code, text: lines.join('\n') };
}

const operatorGet = (path: string) =>
  fetch(`${runtime.urls.api}${path}`, { headers: { authorization: `Bearer ${runtime.operatorToken}` } });

function stroke(rgb: [number, number, number]) {
  const [w, h] = [240, 90];
  const px = new Uint8Array(w * h * 4);
  for (let y = 40; y < 50; y++) for (let x = 10; x < 230; x++) px.set([...rgb, 255], (y * w + x) * 4);
  return encodePng(w, h, px);
}

describe('signing material on the embedded services', () => {
  it('npm start seeds the sample images through the store: the document holds their SHA-256, show prints facts, not bytes', async () => {
    const deps = await organizationDeps(SCT.id);
    expect(deps.organization.signing?.signer.image?.sha256).toBe(sha256(Buffer.from(sampleSignatureImage())));
    expect(deps.organization.signing?.organization.seal?.sha256).toBe(sha256(Buffer.from(sampleSealImage())));
    const shown = await cli('org', 'signing', 'show', '--org', SCT.id);
    expect(shown.code).toBe(0);
    expect(shown.text).toContain(`SHA-256 ${sha256(Buffer.from(sampleSignatureImage()))}`);
    expect(shown.text).toContain('Ảnh con dấu:');
    expect(shown.text).not.toContain('PNG');
    // The signing steps read the stored image (fingerprint checked), not the sample in code.
    const image = await deps.keys.image({ kind: 'person', organizationId: SCT.id, personId: PERSON });
    expect(Buffer.from(image!).equals(Buffer.from(sampleSignatureImage()))).toBe(true);
  });

  it('put-image stores a new version; a red signature is stored with a warning; the page and its image route show it, never cached', async () => {
    const file = join(dir, 'red.png');
    writeFileSync(file, stroke([200, 20, 20]));
    const put = await cli('org', 'signing', 'put-image', '--person', PERSON, file, '--org', SCT.id);
    expect(put.code).toBe(0);
    expect(put.text).toContain('Đã lưu ảnh chữ ký (240×90');
    expect(put.text).toContain('Cảnh báo: Ảnh chữ ký (signing.signer.image): màu mực không phải màu xanh');
    const blue = stroke([20, 20, 200]);
    writeFileSync(file, blue);
    expect((await cli('org', 'signing', 'put-image', '--person', PERSON, file, '--org', SCT.id)).text).not.toContain('Cảnh báo');

    const page = await operatorGet(`/orgs/${SCT.id}`);
    const html = await page.text();
    expect(html).toContain(`/o/${SCT.id}/signing/material/person/${PERSON}/image`);
    expect(html).toContain(sha256(blue).slice(0, 16));
    const img = await operatorGet(`/o/${SCT.id}/signing/material/person/${PERSON}/image`);
    expect(img.status).toBe(200);
    expect(img.headers.get('cache-control')).toBe('no-store');
    expect(img.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await img.arrayBuffer()).equals(blue)).toBe(true);
  });

  it('refuses a bad upload in Vietnamese, naming the field or option, and stores nothing', async () => {
    const before = (await organizationDeps(SCT.id)).organization.signing?.organization.seal?.sha256;
    const file = join(dir, 'not.png');
    writeFileSync(file, 'GIF89a…');
    const err = await cli('org', 'signing', 'put-image', '--seal', file, '--org', SCT.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toContain('Ảnh con dấu (signing.organization.seal): không phải tệp PNG hợp lệ.');
    const who = await cli('org', 'signing', 'put-image', '--person', 'ai-do', join(dir, 'red.png'), '--org', SCT.id).catch(
      (e: unknown) => e,
    );
    expect((who as ApiError).message).toContain('Người ký (--person): "ai-do"');
    expect((await organizationDeps(SCT.id)).organization.signing?.organization.seal?.sha256).toBe(before);
  });

  it('an object changed behind the document’s back is refused by the signing steps and the page', async () => {
    const deps = await organizationDeps(SCT.id);
    const ref = deps.organization.signing!.organization.seal!;
    const key = S3SigningMaterial.key(SCT.id, { kind: 'organization' }, 'image', ref.sha256);
    await makeS3Client().send(
      new PutObjectCommand({ Bucket: process.env.BUCKET_NAME, Key: key, Body: stroke([0, 0, 0]), ContentType: 'image/png' }),
    );
    await expect(deps.keys.image({ kind: 'organization', organizationId: SCT.id })).rejects.toThrow(
      /Tệp ký số đã lưu \(signing\.organization\.seal\) .* đã bị thay đổi/,
    );
    const img = await operatorGet(`/o/${SCT.id}/signing/material/organization/image`);
    expect(img.status).toBe(400);
    expect(await img.text()).toContain('đã bị thay đổi');
  });

  it('a KMS signer’s chain comes from the stored chain; each organization sees only its own material', async () => {
    const kmsDeps = await organizationDeps(STP.id);
    const person = { kind: 'person' as const, organizationId: STP.id, personId: 'giam-doc' };
    await expect(kmsDeps.keys.provider(person).credential(person)).rejects.toThrow(/Chưa có chuỗi chứng thư số .*put-chain/);
    // A real provider without an image: a Vietnamese error before anyone is asked to sign.
    await expect(kmsDeps.keys.image(person)).rejects.toThrow(/Chưa có ảnh chữ ký của người ký Lê Văn Cường/);

    const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
    const keys = (await webcrypto.subtle.generateKey(alg, false, ['sign', 'verify'])) as CryptoKeyPair;
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '0a',
      name: 'CN=Lê Văn Cường, O=Sở Tư pháp',
      notBefore: new Date(Date.now() - 86400_000),
      notAfter: new Date(Date.now() + 365 * 86400_000),
      keys,
      signingAlgorithm: alg,
      extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true)],
    });
    const pem = join(dir, 'gd.pem');
    writeFileSync(pem, cert.toString('pem'));
    const put = await cli('org', 'signing', 'put-chain', '--person', 'giam-doc', pem, '--org', STP.id);
    expect(put.text).toContain('Đã lưu chuỗi chứng thư số "CN=Lê Văn Cường, O=Sở Tư pháp"');
    expect(put.text).not.toContain('Cảnh báo');

    const fresh = await organizationDeps(STP.id);
    const credential = await fresh.keys.provider(person).credential(person);
    expect(Buffer.from(credential.chain[0]).equals(Buffer.from(cert.rawData))).toBe(true);
    const show = await cli('org', 'signing', 'show', '--org', STP.id);
    expect(show.text).toContain('Chứng thư số: CN=Lê Văn Cường, O=Sở Tư pháp');
    expect(show.text).toContain('Ảnh chữ ký: CHƯA CÓ');
    // The other organization's material is not shown, nor reachable under its own scope.
    expect((await cli('org', 'signing', 'show', '--org', SCT.id)).text).not.toContain('Lê Văn Cường');
    const cross = await operatorGet(`/o/${SCT.id}/signing/material/person/giam-doc/image`);
    expect(cross.status).toBe(404);
    expect(await cross.text()).toContain('Chưa có ảnh chữ ký của người ký.');
  });
});
