/**
 * The local test CA: a root marked test-only (by its name and by a certificate policy) that
 * issues one certificate per signer — a competent person, or an organization (its seal) — with
 * names from the organization's data. Used by `npm start`, the demo and the tests; never for a
 * document anyone should rely on (every signature it makes says so in its appearance).
 * Keys are WebCrypto RSA 2048; on disk (loadOrCreateLocalCa) as PKCS#8 and DER, so a restart
 * keeps the same root and the same signers.
 */
import { constants, createPrivateKey, type KeyObject, privateEncrypt, webcrypto } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import './reflect-shim';
import * as x509 from '@peculiar/x509';
import type { Organization } from '../config/schema';
import type { SignerRef } from './ports';
import { LOCAL_ROOT_NAME, TEST_POLICY_DER, TEST_POLICY_OID } from './test-policy';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export { LOCAL_ROOT_NAME, TEST_POLICY_OID };

const ALG = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };

export interface CertificateSubject {
  commonName: string;
  organization?: string;
  /** The person's title ("PHÓ GIÁM ĐỐC"). */
  title?: string;
  /** Place, e.g. "Đồng Nai". */
  locality?: string;
}

export interface LocalSignerKey {
  key: CryptoKey;
  /** Signer certificate first, then the root. */
  chain: Uint8Array[];
}

export interface LocalCa {
  rootCertificate: Uint8Array;
  /** The signer's key and chain, issued on first use (and kept on disk when the CA has a directory). */
  signer(ref: SignerRef, subject: CertificateSubject): Promise<LocalSignerKey>;
}

/** RDN string for @peculiar/x509: commas and the like escaped. */
function dn(parts: [string, string | undefined][]): string {
  return parts
    .filter((p): p is [string, string] => !!p[1])
    .map(([k, v]) => `${k}=${v.replace(/([,+"\\<>;=])/g, '\\$1')}`)
    .join(', ');
}

const subjectName = (s: CertificateSubject) =>
  dn([
    ['CN', s.commonName],
    ['T', s.title],
    ['O', s.organization],
    ['L', s.locality],
    ['C', 'VN'],
  ]);

/** The subject a signer's certificate carries, from the organization's data (signature block, agency). */
export function subjectFromOrganization(org: Organization, signer: SignerRef): CertificateSubject {
  if (signer.kind === 'organization') return { commonName: org.agencyName, organization: org.parentBody, locality: org.place };
  return {
    commonName: org.signature.signer || org.signature.title,
    title: org.signature.title,
    organization: org.agencyName,
    locality: org.place,
  };
}

/** Carries the test-only policy (its OID's DER appears only inside certificatePolicies). */
export function isTestCertificate(der: Uint8Array): boolean {
  return Buffer.from(der).includes(TEST_POLICY_DER);
}

const years = (n: number, from = new Date()) => new Date(from.getTime() + n * 365 * 86400_000);

async function newRoot(): Promise<{ key: CryptoKey; cert: x509.X509Certificate }> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: dn([
      ['CN', LOCAL_ROOT_NAME],
      ['O', 'baocao (thử nghiệm, không có giá trị pháp lý)'],
      ['C', 'VN'],
    ]),
    keys,
    notBefore: new Date(Date.now() - 86400_000),
    notAfter: years(20),
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      new x509.CertificatePolicyExtension([TEST_POLICY_OID]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { key: keys.privateKey, cert };
}

async function issue(root: { key: CryptoKey; cert: x509.X509Certificate }, subject: CertificateSubject): Promise<LocalSignerKey> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    subject: subjectName(subject),
    issuer: root.cert.subject,
    publicKey: keys.publicKey,
    signingKey: root.key,
    notBefore: new Date(Date.now() - 86400_000),
    notAfter: years(5),
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
      new x509.CertificatePolicyExtension([TEST_POLICY_OID]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(root.cert.publicKey),
    ],
  });
  return { key: keys.privateKey, chain: [new Uint8Array(cert.rawData), new Uint8Array(root.cert.rawData)] };
}

const importKey = (pkcs8: Uint8Array) => webcrypto.subtle.importKey('pkcs8', pkcs8, ALG, true, ['sign']) as Promise<CryptoKey>;
const exportKey = async (key: CryptoKey) => new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', key));
const signerFile = (ref: SignerRef) =>
  (ref.kind === 'organization' ? `${ref.organizationId}--to-chuc` : `${ref.organizationId}--${ref.personId}`).replace(
    /[^A-Za-z0-9._-]/g,
    '_',
  );

function makeCa(root: { key: CryptoKey; cert: x509.X509Certificate }, dir?: string): LocalCa {
  const cache = new Map<string, Promise<LocalSignerKey>>();
  const load = async (ref: SignerRef, subject: CertificateSubject): Promise<LocalSignerKey> => {
    const base = dir ? join(dir, 'signers', signerFile(ref)) : undefined;
    if (base) {
      const stored = await Promise.all([readFile(`${base}.key.p8`), readFile(`${base}.crt`)]).catch(() => undefined);
      // Kept while the names still match; a renamed person gets a new certificate.
      if (stored && new x509.X509Certificate(stored[1]).subject === new x509.Name(subjectName(subject)).toString()) {
        return { key: await importKey(stored[0]), chain: [new Uint8Array(stored[1]), new Uint8Array(root.cert.rawData)] };
      }
    }
    const issued = await issue(root, subject);
    if (base) {
      await mkdir(join(dir as string, 'signers'), { recursive: true });
      await writeFile(`${base}.key.p8`, await exportKey(issued.key), { mode: 0o600 });
      await writeFile(`${base}.crt`, issued.chain[0]);
    }
    return issued;
  };
  return {
    rootCertificate: new Uint8Array(root.cert.rawData),
    signer(ref, subject) {
      const id = `${signerFile(ref)}|${subjectName(subject)}`;
      let p = cache.get(id);
      if (!p) {
        p = load(ref, subject);
        p.catch(() => cache.delete(id));
        cache.set(id, p);
      }
      return p;
    },
  };
}

/** A CA that lives in memory only (tests). */
export async function createLocalCa(): Promise<LocalCa> {
  return makeCa(await newRoot());
}

/** The CA kept under `dir` (e.g. .baocao/signing): created on first use, the same after a restart. */
export async function loadOrCreateLocalCa(dir: string): Promise<LocalCa> {
  const keyPath = join(dir, 'root.key.p8');
  const certPath = join(dir, 'root.crt');
  const stored = await Promise.all([readFile(keyPath), readFile(certPath)]).catch(() => undefined);
  if (stored) return makeCa({ key: await importKey(stored[0]), cert: new x509.X509Certificate(stored[1]) }, dir);
  const root = await newRoot();
  await mkdir(dir, { recursive: true });
  await writeFile(keyPath, await exportKey(root.key), { mode: 0o600 });
  await writeFile(certPath, new Uint8Array(root.cert.rawData));
  return makeCa(root, dir);
}

/** RSASSA-PKCS1-v1_5 over an already computed SHA-256 digest (what a provider is asked to sign). */
export async function signDigest(key: CryptoKey, digest: Uint8Array): Promise<Uint8Array> {
  return pkcs1SignDigest(createPrivateKey({ key: Buffer.from(await exportKey(key)), format: 'der', type: 'pkcs8' }), digest);
}

/** DigestInfo prefix of SHA-256 (RFC 8017, 9.2 note 1). */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/** PKCS#1 v1.5 signature of a SHA-256 digest: what KMS Sign with MessageType DIGEST returns. */
export function pkcs1SignDigest(key: KeyObject, digest: Uint8Array): Uint8Array {
  if (digest.length !== 32) throw new Error('a SHA-256 digest has 32 bytes');
  return new Uint8Array(privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([SHA256_DIGEST_INFO, digest])));
}
