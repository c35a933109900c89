import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { organizationJsonSchemaText } from '../../shared/config/json-schema';
import bundled from '../../shared/config/organization.json' with { type: 'json' };
import {
  checkOrganization,
  OrganizationCache,
  putOrganization,
  seedOrganizations,
} from '../../shared/features/organizations/organizations';
import type { OrganizationStore, StoredOrganization } from '../../shared/features/organizations/ports';
import stp from '../../shared/sample/binhphuoc-stp/organization.json' with { type: 'json' };

function memoryStore(): OrganizationStore & { rows: Map<string, StoredOrganization> } {
  const rows = new Map<string, StoredOrganization>();
  return {
    rows,
    list: async () =>
      [...rows.values()].map((r) => ({ id: r.id, agencyName: '', parentBody: '', version: r.version, updatedAt: r.updatedAt })),
    get: async (id) => rows.get(id),
    put: async (rec) => {
      if ((rows.get(rec.id)?.version ?? 0) !== rec.version - 1) return false;
      rows.set(rec.id, rec);
      return true;
    },
  };
}
const now = () => new Date('2021-12-16T03:00:00Z');

describe('organizations as data', () => {
  it('publishes the JSON Schema in docs/ (current), titled in Vietnamese, accepting both sample organizations', () => {
    const text = organizationJsonSchemaText();
    expect(readFileSync(new URL('../../docs/organization-schema.json', import.meta.url), 'utf8')).toBe(text);
    const schema = JSON.parse(text);
    expect(schema.properties.documentCode.title).toBe('Ký hiệu văn bản');
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
    expect(validate(bundled)).toBe(true);
    expect(validate(stp)).toBe(true);
    expect(validate({ ...bundled, compiler: undefined, compilers: undefined })).toBe(false);
  });

  it('names the field of every problem in Vietnamese', () => {
    const { agency: _a, ...noAgency } = bundled;
    const check = checkOrganization({ ...noAgency, mailFrom: 'not-an-email' });
    expect(check.organization).toBeUndefined();
    expect(check.errors).toContain('Tên cơ quan (in hoa) (agency): bắt buộc, chưa khai báo');
    expect(check.errors).toContain('Địa chỉ gửi email (mailFrom): địa chỉ email không hợp lệ');
  });

  it('checks on load which division answers which item of each report type, naming every problem', () => {
    const divisions = bundled.divisions.map((d) => (d.id === 'TTRA' ? { ...d, roles: [] } : d));
    const check = checkOrganization({ ...bundled, divisions, reportTypes: ['cchc', 'khong-co'] });
    expect(check.errors.some((e) => e.startsWith('[cchc]') && e.includes('chưa có phòng, đơn vị nào trả lời'))).toBe(true);
    expect(check.errors).toContain('Loại báo cáo (reportTypes): không có mẫu "khong-co". Các mẫu hiện có: cchc, kstt.');
  });

  it('reads the older single compiler as the first of several', () => {
    const one = checkOrganization(bundled).organization;
    expect(one?.compilers).toEqual([bundled.compiler]);
    const two = checkOrganization({
      ...stp,
      compiler: undefined,
      compilers: [stp.compiler, { name: 'Lê Văn Hai', email: 'hai@x.example' }],
    });
    expect(two.organization?.compiler).toEqual(stp.compiler);
    expect(two.organization?.compilers).toHaveLength(2);
  });

  it('stores versions, refuses a stale change (409) and an id other than the address', async () => {
    const deps = { organizations: memoryStore(), now };
    expect(await seedOrganizations(deps, [bundled, stp])).toEqual([bundled.id, stp.id]);
    expect(await seedOrganizations(deps, [bundled])).toEqual([]);
    expect(await putOrganization(deps, { id: stp.id, document: { ...stp, place: 'Đồng Xoài' }, by: 'ops' })).toEqual({
      id: stp.id,
      version: 2,
    });
    await expect(putOrganization(deps, { id: stp.id, document: stp, by: 'ops', expectedVersion: 1 })).rejects.toMatchObject({
      status: 409,
    });
    await expect(putOrganization(deps, { id: bundled.id, document: stp, by: 'ops' })).rejects.toMatchObject({ status: 400 });
    await expect(putOrganization(deps, { id: stp.id, document: { ...stp, divisions: [] }, by: 'ops' })).rejects.toThrow(
      'Danh sách phòng, đơn vị (divisions): cần ít nhất 1 mục',
    );
  });

  it('a change applies without a redeploy once the cache entry is older than its TTL', async () => {
    const store = memoryStore();
    const deps = { organizations: store, now };
    await seedOrganizations(deps, [stp]);
    let clock = 0;
    const cache = new OrganizationCache(store, 60_000, () => clock);
    expect((await cache.require(stp.id)).place).toBe('Bình Phước');
    await putOrganization(deps, { id: stp.id, document: { ...stp, place: 'Đồng Xoài' }, by: 'ops' });
    clock = 30_000;
    expect((await cache.require(stp.id)).place).toBe('Bình Phước');
    clock = 61_000;
    expect((await cache.require(stp.id)).place).toBe('Đồng Xoài');
    await expect(cache.require('khong-co')).rejects.toMatchObject({ status: 404 });
  });
});
