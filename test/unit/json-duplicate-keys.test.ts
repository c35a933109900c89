/**
 * A key written twice in one JSON object is refused with its path, in an uploaded submission and
 * in any API body; equal keys in different objects, and keys inside strings, are not duplicates.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeJsonUpload } from '../../shared/features/intake/json-upload';
import { firstDuplicateKey } from '../../shared/format/json-duplicate-keys';
import { parseJsonBody } from '../../shared/http/router';

describe('keys written twice', () => {
  it.each([
    ['{"a":1,"a":2}', 'a'],
    ['{"indicators":{"hoSo":1,"x":2,"hoSo":3}}', 'indicators.hoSo'],
    ['{"tables":{"t":[{"a":1},{"b":1,"b":2}]}}', 'tables.t[1].b'],
    ['{"a\\u0062":1,"ab":2}', 'ab'],
    [' { "x" : [ [ {"k":1} , {"k":2 , "k":3} ] ] } ', 'x[0][1].k'],
  ])('finds the first in %s: %s', (text, path) => {
    expect(firstDuplicateKey(text)).toBe(path);
  });

  it.each([
    '{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]}',
    '{"a":"\\"a\\":1, \\"a\\"","b":"{\\"a\\":1,\\"a\\":2}"}',
    '[{"a":1},{"a":1}]',
    '{}',
  ])('finds none in %s', (text) => {
    expect(firstDuplicateKey(text)).toBeUndefined();
  });

  it('agrees with JSON.parse on every generated object: no duplicate is reported where JSON.stringify wrote none', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(firstDuplicateKey(JSON.stringify(v))).toBeUndefined();
        expect(firstDuplicateKey(JSON.stringify(v, null, 2))).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('refuses an uploaded submission and an API body that write a figure twice, naming it in Vietnamese', () => {
    const upload = decodeJsonUpload(Buffer.from('{"division":"VP","indicators":{"hoSo":12,"hoSo":21}}'));
    expect(upload).toEqual({
      ok: false,
      rule: 'file.json',
      message: 'Tệp JSON ghi khóa "indicators.hoSo" hai lần; mỗi khóa chỉ được ghi một lần, vì không rõ giá trị nào là đúng.',
    });
    expect(() => parseJsonBody('{"periodId":"2021","periodId":"2020"}')).toThrow(
      'Nội dung JSON gửi lên ghi khóa "periodId" hai lần; mỗi khóa chỉ được ghi một lần, vì không rõ giá trị nào là đúng.',
    );
  });
});
