/** Issue 16: the local test CA — test-only by name and policy, names from the organization's data, kept on disk. */

import { X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSigningProvider } from '../../shared/adapters/signing/local-provider';
import { organization } from '../../shared/config';
import { isTestCertificate, LOCAL_ROOT_NAME, loadOrCreateLocalCa, subjectFromOrganization } from '../../shared/signing/local-ca';
import { signPdf } from '../../shared/signing/pades';
import { sampleSealImage } from '../../shared/signing/sample-images';
import { verifyPdf } from '../../shared/signing/verify';
import { makeReportPdf, SIGNATURE_BOX } from '../support/signing';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'baocao-ca-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('local test CA', () => {
  it('makes a root marked test-only by its name and by its certificate policy', async () => {
    const ca = await loadOrCreateLocalCa(join(dir, 'a'));
    const root = new X509Certificate(ca.rootCertificate);
    expect(root.subject).toContain(`CN=${LOCAL_ROOT_NAME}`);
    expect(root.ca).toBe(true);
    expect(isTestCertificate(ca.rootCertificate)).toBe(true);
    expect((await readdir(join(dir, 'a'))).sort()).toEqual(['root.crt', 'root.key.p8']);
  });

  it('names the person and the organization certificates from the organization data', () => {
    expect(subjectFromOrganization(organization, { kind: 'organization', organizationId: organization.id })).toEqual({
      commonName: 'Sở Công Thương',
      organization: 'UBND TỈNH ĐỒNG NAI',
      locality: 'Đồng Nai',
    });
    const person = subjectFromOrganization(organization, { kind: 'person', organizationId: organization.id, personId: 'signer' });
    expect(person).toMatchObject({ title: organization.signature.title, organization: 'Sở Công Thương' });
    expect(person.commonName).toBe(organization.signature.signer || organization.signature.title);
  });

  it('signs for the organization with a certificate issued by the root, found again after a restart', async () => {
    const providerIn = async (d: string) =>
      new LocalSigningProvider({
        ca: await loadOrCreateLocalCa(d),
        dir: d,
        subjectOf: (signer) => subjectFromOrganization(organization, signer),
      });
    const provider = await providerIn(join(dir, 'b'));
    const seal = { kind: 'organization' as const, organizationId: organization.id };
    const signed = await signPdf(provider, seal, await makeReportPdf(), {
      appearance: { kind: 'organization', box: SIGNATURE_BOX, seal: sampleSealImage() },
      requestId: 'r1',
      description: 'Đóng dấu số',
    });
    const again = await providerIn(join(dir, 'b'));
    const root = (await loadOrCreateLocalCa(join(dir, 'b'))).rootCertificate;
    const result = await verifyPdf(signed, { trustedRoots: [root] });
    expect(result.ok).toBe(true);
    expect(result.signatures[0]).toMatchObject({ signerName: 'Sở Công Thương', organization: 'UBND TỈNH ĐỒNG NAI', testOnly: true });
    expect((await again.credential(seal)).chain).toEqual((await provider.credential(seal)).chain);
    const cert = new X509Certificate((await provider.credential(seal)).chain[0]);
    expect(cert.checkIssued(new X509Certificate(root))).toBe(true);
    expect(isTestCertificate(cert.raw)).toBe(true);
  });
});
