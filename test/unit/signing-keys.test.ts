import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cscAccount } from '../../shared/adapters/signing/csc-secrets';
import { signingKeys } from '../../shared/adapters/signing/keys';
import { KmsSigningProvider } from '../../shared/adapters/signing/kms-provider';
import { LocalSigningProvider } from '../../shared/adapters/signing/local-provider';
import { CscSigningProvider } from '../../shared/adapters/signing/remote-csc-provider';
import { organization as bundled } from '../../shared/config';
import { OrganizationSchema } from '../../shared/config/schema';
import { sha256 } from '../../shared/crypto';
import type { SigningMaterialStore } from '../../shared/features/signing/ports';
import { sampleSignatureImage } from '../../shared/signing/sample-images';

const dir = mkdtempSync(join(tmpdir(), 'baocao-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const remote = {
  provider: 'remote',
  baseUrl: 'https://ky.example.vn/csc/v1',
  credentialId: 'cred-1',
  secretName: 'BAOCAO_TEST_CSC',
} as const;
const org = OrganizationSchema.parse({
  ...bundled,
  signing: {
    signer: { id: 'pgd', name: 'Nguyễn Trí Phương', email: 'p@x.example', provider: remote },
    organization: { provider: { provider: 'kms', keyId: 'alias/seal', certificateChain: [Buffer.from([1, 2]).toString('base64')] } },
    trustedRoots: [Buffer.from([3, 4]).toString('base64')],
  },
});
const person = { kind: 'person', organizationId: org.id, personId: 'pgd' } as const;
const seal = { kind: 'organization', organizationId: org.id } as const;

describe('signing providers from the organization data (shared/adapters/signing/keys.ts)', () => {
  it('builds the provider each signer is configured with; the configured roots are trusted, no local root when nobody signs locally', async () => {
    const keys = signingKeys(org, { dir });
    expect(keys.provider(person)).toBeInstanceOf(CscSigningProvider);
    expect(keys.provider(person)).toBe(keys.provider(person)); // one client per signer: its token is reused
    expect(keys.provider(seal)).toBeInstanceOf(KmsSigningProvider);
    expect(await keys.trustedRoots()).toEqual([new Uint8Array([3, 4])]);
    // A real provider without the organization's stored image: a Vietnamese error naming the field and the command.
    await expect(keys.image(person)).rejects.toThrow(
      'Chưa có ảnh chữ ký của người ký Nguyễn Trí Phương (signing.signer.image): dùng lệnh baocao org signing put-image --person pgd <tệp.png> trước khi trình ký.',
    );
    await expect(keys.image(seal)).rejects.toThrow(/Chưa có ảnh con dấu .* \(signing\.organization\.seal\)/);
  });

  it('takes a signer’s image from the stored material, checked against the document’s SHA-256', async () => {
    const png = Buffer.from(sampleSignatureImage());
    const objects = new Map<string, Buffer>();
    const material: SigningMaterialStore = {
      put: async (_o, _w, _k, sha, body) => void objects.set(sha, body),
      get: async (_o, _w, _k, sha) => objects.get(sha),
    };
    const ref = { sha256: sha256(png), bytes: png.length, width: 1, height: 1, uploadedAt: '2026-01-01T00:00:00Z', uploadedBy: 'x' };
    const withImage = OrganizationSchema.parse({ ...org, signing: { ...org.signing, signer: { ...org.signing!.signer, image: ref } } });
    objects.set(ref.sha256, png);
    expect(Buffer.from((await signingKeys(withImage, { dir, material }).image(person))!).equals(png)).toBe(true);
    objects.set(ref.sha256, Buffer.concat([png, Buffer.from([0])]));
    await expect(signingKeys(withImage, { dir, material }).image(person)).rejects.toThrow(/đã bị thay đổi \(dấu SHA-256 không khớp/);
  });

  it('takes the remote client credentials from the named secret, never from the organization data', () => {
    expect(() => cscAccount(remote, {})).toThrow(/biến bí mật "BAOCAO_TEST_CSC" cần clientId, clientSecret và userId/);
    expect(() => cscAccount(remote, { BAOCAO_TEST_CSC: 'không phải JSON' })).toThrow(/BAOCAO_TEST_CSC/);
    const secret = JSON.stringify({ clientId: 'baocao', clientSecret: 's3cret', userId: '0912345678' });
    expect(cscAccount(remote, { BAOCAO_TEST_CSC: secret })).toEqual({
      baseUrl: remote.baseUrl,
      credentialId: 'cred-1',
      clientId: 'baocao',
      clientSecret: 's3cret',
      userId: '0912345678',
    });
  });

  it('gives one local provider per folder, with the local test root trusted and the sample images', async () => {
    const local = OrganizationSchema.parse({
      ...bundled,
      signing: {
        signer: { id: 'pgd', name: 'Nguyễn Trí Phương', email: 'p@x.example', provider: { provider: 'local', mode: 'confirm' } },
        organization: { provider: { provider: 'local' } },
      },
    });
    const a = signingKeys(local, { dir });
    const b = signingKeys(local, { dir });
    expect(a.provider(person)).toBeInstanceOf(LocalSigningProvider);
    expect(a.provider(person)).toBe(b.provider(seal));
    const roots = await a.trustedRoots();
    expect(roots).toHaveLength(1);
    expect(roots[0].length).toBeGreaterThan(100);
    expect((await a.image(person))?.subarray(1, 4).toString()).toBe('PNG');
  });
});
