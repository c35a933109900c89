/**
 * Another competent person for one report type: the Sở Tư pháp's deputy signs the quarterly kstt
 * report ("KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC") while the director signs the annual cchc one. The
 * document binds signer and signature block per type, refuses a type it lacks or a person declared
 * twice, and keeps each person's stored image under their own entry.
 */
import { describe, expect, it } from 'vitest';
import type { Organization } from '../../shared/config/schema';
import { buildDocument } from '../../shared/document/build';
import { aggregate } from '../../shared/domain/aggregate';
import { organizationForReportType } from '../../shared/domain/ownership';
import { parsePeriod } from '../../shared/domain/periods';
import { checkOrganization } from '../../shared/features/organizations/organizations';
import type { StoredOrganization } from '../../shared/features/organizations/ports';
import { materialField, putSigningImage, readMaterial, signingMaterialFacts } from '../../shared/features/signing/material';
import { secondOrganizationDocument } from '../../shared/sample/binhphuoc-stp';
import { sampleSignatureImage } from '../../shared/signing/sample-images';
import { getTemplate } from '../../shared/templates';
import { DEPARTMENTS } from '../support/departments';

const deputy = {
  id: 'pho-giam-doc',
  name: 'Lê Văn Hòa',
  email: 'hoa.pgd@stp.example',
  provider: { provider: 'local', mode: 'confirm' },
};
const doc = {
  ...secondOrganizationDocument,
  signaturesByType: { kstt: { kind: 'KT', authority: 'GIÁM ĐỐC', title: 'PHÓ GIÁM ĐỐC', signer: 'Lê Văn Hòa' } },
  signing: {
    signer: { id: 'giam-doc', name: 'Trịnh Quang Minh', email: 'minh.gd@stp.example', provider: { provider: 'local', mode: 'confirm' } },
    signersByType: { kstt: deputy },
    organization: { provider: { provider: 'local', mode: 'auto' } },
  },
};

function parsed(d: unknown = doc): Organization {
  const check = checkOrganization(d);
  if (!check.organization) throw new Error(check.errors.join('; '));
  return check.organization;
}

describe('a signer and signature block for one report type', () => {
  it('binds the deputy and their block to kstt, the director to cchc', () => {
    const org = parsed();
    const kstt = organizationForReportType(org, getTemplate('kstt', org));
    const cchc = organizationForReportType(org, getTemplate('cchc', org));
    expect(kstt.signing?.signer.id).toBe('pho-giam-doc');
    expect(kstt.signature).toMatchObject({ kind: 'KT', title: 'PHÓ GIÁM ĐỐC', signer: 'Lê Văn Hòa' });
    expect(cchc.signing?.signer.id).toBe('giam-doc');
    expect(cchc.signature).toMatchObject({ kind: 'direct', signer: 'Trịnh Quang Minh' });

    // The kstt report prints the deputy's block.
    const stp = DEPARTMENTS[1];
    const template = getTemplate('kstt', org);
    const model = buildDocument({
      template,
      report: aggregate(template, kstt, parsePeriod(stp.periodId), stp.timed()),
      organization: kstt,
      mode: 'final',
      version: 1,
      number: 3,
      issuedAt: new Date('2021-04-10T02:00:00Z'),
      reportFacts: stp.reportFacts,
    });
    expect(model.signature).toMatchObject({ lines: ['KT. GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC'], signer: 'Lê Văn Hòa' });
  });

  it('refuses a report type the organization lacks and a person declared twice, naming the field', () => {
    const unknownType = {
      ...doc,
      signaturesByType: { xyz: doc.signaturesByType.kstt },
      signing: { ...doc.signing, signersByType: { xyz: deputy } },
    };
    expect(checkOrganization(unknownType).errors).toEqual([
      'Khối chữ ký theo loại báo cáo (signaturesByType.xyz): tổ chức không có loại báo cáo "xyz".',
      'Người ký theo loại báo cáo (signing.signersByType.xyz): tổ chức không có loại báo cáo "xyz".',
    ]);
    const twice = { ...doc, signing: { ...doc.signing, signersByType: { kstt: { ...deputy, id: 'giam-doc' } } } };
    expect(checkOrganization(twice).errors).toEqual([
      'Người ký theo loại báo cáo (signing.signersByType.kstt.id): mã "giam-doc" đã dùng ở signing.signer; mỗi người ký khai báo một lần.',
    ]);
  });

  it('stores the deputy’s own signature image under their entry, read back for the kstt signing only', async () => {
    let stored: StoredOrganization = {
      id: doc.id,
      version: 1,
      document: doc,
      updatedAt: '2021-04-01T00:00:00Z',
      updatedBy: 'x',
    } as StoredOrganization;
    const objects = new Map<string, Buffer>();
    const deps = {
      organizations: {
        list: async () => [],
        get: async () => stored,
        put: async (rec: StoredOrganization) => ((stored = rec), true),
      },
      material: {
        put: async (_o: string, owner: { kind: string }, kind: string, sha: string, body: Buffer) =>
          void objects.set(`${JSON.stringify(owner)}/${kind}/${sha}`, body),
        get: async (_o: string, owner: { kind: string }, kind: string, sha: string) =>
          objects.get(`${JSON.stringify(owner)}/${kind}/${sha}`),
      },
      now: () => new Date('2021-04-02T00:00:00Z'),
    };
    const png = Buffer.from(sampleSignatureImage());
    await putSigningImage(deps, { orgId: doc.id, owner: { kind: 'person', personId: 'pho-giam-doc' }, png, by: 'op' });
    const after = parsed(stored.document);
    expect(after.signing?.signersByType.kstt.image?.bytes).toBe(png.length);
    expect(after.signing?.signer.image).toBeUndefined();
    expect(materialField({ kind: 'person', personId: 'pho-giam-doc' }, 'image', after)).toBe('signing.signersByType.kstt.image');
    const kstt = organizationForReportType(after, getTemplate('kstt', after));
    expect(await readMaterial(deps.material, kstt, { kind: 'person', personId: 'pho-giam-doc' }, 'image')).toEqual(png);
    expect(signingMaterialFacts(after)).toMatchObject({ byType: [{ reportType: 'kstt', id: 'pho-giam-doc', name: 'Lê Văn Hòa' }] });
    await expect(putSigningImage(deps, { orgId: doc.id, owner: { kind: 'person', personId: 'khong-co' }, png, by: 'op' })).rejects.toThrow(
      'Người ký (--person): "khong-co" không phải mã người ký của tổ chức (các mã người ký: "pho-giam-doc", "giam-doc").',
    );
  });
});
