import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import type { Organization } from '../../config/schema';
import { ValidationError } from '../../errors';
import { materialField, readChain, readMaterial } from '../../features/signing/material';
import type { MaterialOwner, SigningKeys, SigningMaterialStore } from '../../features/signing/ports';
import type { LocalCa } from '../../signing/local-ca';
import type { SignerRef, SigningProvider } from '../../signing/ports';
import { sampleSealImage, sampleSignatureImage } from '../../signing/sample-images';
import { signerKey } from '../../signing/signer-key';
import { remoteAccountSource } from './csc-secrets';
import { KmsSigningProvider } from './kms-provider';
import { LocalSigningProvider } from './local-provider';
import { CscSigningProvider } from './remote-csc-provider';

/** The local test CA (@peculiar/x509) on first use: the api function carries this module for a few routes. */
const caModule = () => import('../../signing/local-ca');

let kmsClient: KMSClient | undefined;
const kms = () => (kmsClient ??= new KMSClient({}));

/**
 * Which provider holds a signer's key, from the organization's data (`signing.signer.provider`,
 * `signing.organization.provider`). The local provider (npm start, demo, tests) signs with the
 * local test CA kept in `dir` (.baocao/signing under npm start), the same after a restart; its
 * pending requests are kept there too, so a restarted system still knows them.
 */
const cas = new Map<string, Promise<LocalCa>>();
const locals = new Map<string, LocalSigningProvider>();

export function localCa(dir: string): Promise<LocalCa> {
  let ca = cas.get(dir);
  if (!ca) {
    ca = caModule().then((m) => m.loadOrCreateLocalCa(dir));
    ca.catch(() => cas.delete(dir));
    cas.set(dir, ca);
  }
  return ca;
}

/** Organizations seen by signingKeys: the one local provider of a folder names each signer from its own organization. */
const organizations = new Map<string, Organization>();

/**
 * The process's local provider for `dir`: one for every organization, so the local runtime's api
 * (the stand-in for the person's phone, /_local/sign) and the pipeline handlers see the same requests.
 */
export function localProvider(dir: string): LocalSigningProvider {
  let p = locals.get(dir);
  if (!p) {
    const ca = localCa(dir);
    const lazy = {
      rootCertificate: new Uint8Array(),
      signer: async (ref: SignerRef, subject: Parameters<LocalCa['signer']>[1]) => (await ca).signer(ref, subject),
    } satisfies LocalCa;
    const orgOf = (ref: SignerRef) => {
      const org = organizations.get(ref.organizationId);
      if (!org) throw new Error(`Không biết tổ chức ${ref.organizationId} của người ký.`);
      return org;
    };
    p = new LocalSigningProvider({
      ca: lazy,
      subjectOf: async (ref) => {
        const org = orgOf(ref);
        const subject = (await caModule()).subjectFromOrganization(org, ref);
        // The competent person named in the signing configuration is who the certificate names.
        return ref.kind === 'person' && org.signing ? { ...subject, commonName: org.signing.signer.name } : subject;
      },
      mode: (ref) => modeOf(orgOf(ref), ref),
      dir: join(dir, 'requests'),
    });
    locals.set(dir, p);
  }
  return p;
}

function providerConfig(org: Organization, ref: SignerRef) {
  const cfg = org.signing;
  if (!cfg) throw new Error(`Tổ chức ${org.id} chưa khai báo ký số (signing).`);
  return ref.kind === 'person' ? cfg.signer.provider : cfg.organization.provider;
}

function modeOf(org: Organization, ref: SignerRef) {
  const p = providerConfig(org, ref);
  return p.provider === 'local' ? p.mode : 'auto';
}

const ownerOf = (ref: SignerRef): MaterialOwner =>
  ref.kind === 'person' ? { kind: 'person', personId: ref.personId } : { kind: 'organization' };

/**
 * A KMS key whose chain is the organization's stored signing material: read (and its fingerprint
 * checked) when first needed, since KMS keeps no certificates.
 */
function kmsWithStoredChain(ref: SignerRef, keyId: string, loadChain: () => Promise<Uint8Array[] | undefined>): SigningProvider {
  let built: Promise<KmsSigningProvider> | undefined;
  const inner = () =>
    (built ??= loadChain().then((chain) => {
      if (!chain?.length) {
        built = undefined;
        throw new ValidationError(
          `Chưa có chuỗi chứng thư số cho khóa KMS của ${ref.kind === 'person' ? 'người ký' : 'cơ quan'} (${materialField(ownerOf(ref), 'chain')}): dùng lệnh baocao org signing put-chain.`,
        );
      }
      return new KmsSigningProvider({ client: kms(), signers: { [signerKey(ref)]: { keyId, chain } }, testOnly: true });
    }));
  return {
    kind: 'kms',
    credential: async (s) => (await inner()).credential(s),
    requestSignature: async (s, r) => (await inner()).requestSignature(s, r),
    pollSignature: async (s, t) => (await inner()).pollSignature(s, t),
  };
}

/**
 * @param opts.material the organization's stored signing material (images, chains); without it
 * (unit tests) only the local provider's sample images exist.
 */
export function signingKeys(org: Organization, opts: { dir?: string; material?: SigningMaterialStore }): SigningKeys {
  const dir = opts.dir ?? join(tmpdir(), 'baocao-signing');
  organizations.set(org.id, org);
  const remotes = new Map<string, CscSigningProvider>();
  const usesLocal = () =>
    ['signer', 'organization'].some((k) => org.signing?.[k as 'signer' | 'organization'].provider.provider === 'local');
  return {
    provider(ref): SigningProvider {
      const p = providerConfig(org, ref);
      if (p.provider === 'local') return localProvider(dir);
      if (p.provider === 'kms') {
        const inline = p.certificateChain.map((c) => new Uint8Array(Buffer.from(c, 'base64')));
        if (inline.length)
          return new KmsSigningProvider({
            client: kms(),
            signers: { [signerKey(ref)]: { keyId: p.keyId, chain: inline } },
            testOnly: true,
          });
        const material = opts.material;
        return kmsWithStoredChain(ref, p.keyId, async () => (material ? readChain(material, org, ownerOf(ref)) : undefined));
      }
      // One client per signer, so its access token is reused between calls.
      const id = signerKey(ref);
      const known = remotes.get(id);
      if (known) return known;
      const accountOf = remoteAccountSource();
      const remote = new CscSigningProvider({ accountFor: () => accountOf(p) });
      remotes.set(id, remote);
      return remote;
    },
    async image(ref) {
      // The organization's stored image (fingerprint checked); the local test CA's samples only
      // where the organization has none and the local test provider signs (its appearance says "thử nghiệm").
      const stored = opts.material ? await readMaterial(opts.material, org, ownerOf(ref), 'image') : undefined;
      if (stored) return new Uint8Array(stored);
      if (providerConfig(org, ref).provider === 'local') return ref.kind === 'person' ? sampleSignatureImage() : sampleSealImage();
      throw new ValidationError(
        ref.kind === 'person'
          ? `Chưa có ảnh chữ ký của người ký ${org.signing?.signer.name ?? ''} (${materialField(ownerOf(ref), 'image', org)}): dùng lệnh baocao org signing put-image --person ${ref.personId} <tệp.png> trước khi trình ký.`
          : `Chưa có ảnh con dấu của ${org.agencyName} (${materialField(ownerOf(ref), 'image')}): dùng lệnh baocao org signing put-image --seal <tệp.png> trước khi trình ký.`,
      );
    },
    async trustedRoots() {
      const roots: Uint8Array[] = (org.signing?.trustedRoots ?? []).map((b64) => new Uint8Array(Buffer.from(b64, 'base64')));
      if (usesLocal()) roots.push((await localCa(dir)).rootCertificate);
      return roots;
    },
  };
}
