import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { organization } from '../../shared/config';
import { type Issue, validateSubmission } from '../../shared/domain/submission';
import { structuralViolations } from '../../shared/domain/submission/structure';
import { sampleSubmissions } from '../../shared/sample';
import { getTemplate } from '../../shared/templates';

/**
 * The submission contract: docs/submission-schema.json (what divisions read), run by a real
 * JSON Schema validator, and the server's validateSubmission must give the same verdict on the
 * structure of every input: the fixtures and a generated corpus of near-misses.
 */

const published = JSON.parse(readFileSync(new URL('../../docs/submission-schema.json', import.meta.url), 'utf8'));
const schemaAccepts = new Ajv2020({ strict: true, allErrors: true }).compile(published);
const template = getTemplate('cchc');
const validate = (raw: unknown) => validateSubmission(template, raw, { organization });
/** Through JSON, as the server receives it (a NaN becomes null, -0 stays a number). */
const json = <T>(v: T): T => JSON.parse(JSON.stringify(v) ?? 'null');
const clone = <T>(v: T): T => structuredClone(v);

// ---- the fixtures --------------------------------------------------------------------------------

const sampleDir = new URL('../../shared/sample/submissions/', import.meta.url);
const fixtureFiles = readdirSync(sampleDir).flatMap((q) =>
  readdirSync(new URL(`${q}/`, sampleDir)).map((f) => JSON.parse(readFileSync(new URL(`${q}/${f}`, sampleDir), 'utf8'))),
);
const docExample = JSON.parse(
  /```json\n([\s\S]*?)```/.exec(readFileSync(new URL('../../docs/submission.md', import.meta.url), 'utf8'))![1],
);
const vpQ1 = json(sampleSubmissions.find((s) => s.division === 'VP' && s.period === '2021-Q1')!) as unknown as Record<string, any>;

// ---- the generated corpus ------------------------------------------------------------------------

const nearNumbers = [
  '1 234',
  '1.234',
  '1,234',
  '1.234.567',
  '12.34',
  '1.5',
  '-3',
  '+3',
  'NaN',
  'Infinity',
  '1e3',
  '0x10',
  ' 42 ',
  '',
  '  ',
  '0',
  '16\u00a0075',
  '16\u202f075',
  '1 2 3',
  '1  234',
  '12 34',
  '1.234 567',
  '١٢٣',
  '999.999.999.999.999',
  '1.000.000.000.000.000',
  '999999999999999',
  '9999999999999999',
  '9 007 199 254 740 993',
  'mười',
  '16.075đ',
  '5%',
];
const nearNumber = fc.constantFrom(...nearNumbers);
const grouped = fc
  .tuple(
    fc.oneof(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 2 ** 53 })),
    fc.constantFrom('.', ' ', ',', '\u00a0', '', '. '),
  )
  .map(([n, sep]) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, sep));
const numberish = fc.oneof(
  fc.integer({ min: -1000, max: 1_000_000 }),
  fc.double(),
  fc.constantFrom(999_999_999_999_999, 1e15, 2 ** 53, 2 ** 53 + 2, 1e300, -0, 1.5, -1, 0),
);
/** Values a clerk, a spreadsheet export or a script could put anywhere. */
const anyValue = fc.oneof(
  nearNumber,
  grouped,
  numberish,
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.constant('x'.repeat(10_001)),
  fc.constant('😀'.repeat(5_001)), // 10 002 UTF-16 units, 5 001 characters
  fc.array(fc.oneof(fc.string(), fc.nat()), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
);
const badKey = fc.constantFrom('a-b', '1x', '_x', '__proto__', 'constructor', 'toString', 'é', '', 'a b', 'hoSo.TiepNhan');

type Raw = Record<string, any>;
/** A long string, printed short in a counterexample. */
class Long {
  constructor(
    readonly unit: string,
    readonly times: number,
  ) {}
  [fc.toStringMethod]() {
    return `“${this.unit}” × ${this.times}`;
  }
}
const long = fc.constantFrom(new Long('x', 10_001), new Long('x', 10_000), new Long('😀', 5_001)); // 😀 × 5 001: 10 002 UTF-16 units
function expand(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(expand);
  if (!(v instanceof Long)) return v;
  if (v.unit === 'row') return Array.from({ length: v.times }, () => ({ coQuan: 'x' }));
  if (v.unit === 'item') return Array.from({ length: v.times }, () => 'x');
  return v.unit.repeat(v.times);
}

/** One change to a valid submission: set (or delete) the value at `path`. Plain data, so a counterexample reads well. */
type Mutation = { path: Array<string | number>; value?: unknown; delete?: true };
const set =
  (path: Array<string | number>) =>
  (value: unknown): Mutation => ({ path, value });

const anyOrLong = fc.oneof(anyValue, long);
const rows = (n: number) => new Long('row', n);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.constantFrom('kyPhatSong', 'tinBai', 'hoSoBuuChinh'), anyOrLong).map(([k, v]) => set(['indicators', k])(v)),
  fc.tuple(fc.constantFrom('ghiChu', 'coQuan'), anyOrLong).map(([c, v]) => set(['tables', 'vanBanDienTu', 0, c])(v)),
  fc
    .tuple(fc.constantFrom('chiDaoDieuHanh', 'ketQuaNoiBat'), fc.oneof(anyOrLong, fc.array(anyOrLong, { maxLength: 3 })))
    .map(([n, v]) => set(['narratives', n])(v)),
  fc.tuple(fc.constantFrom('outlier.tinBai', 'x', ''), anyOrLong).map(([k, v]) => set(['confirmations', k])(v)),
  fc.tuple(fc.constantFrom('indicators', 'tables', 'narratives', 'confirmations'), anyValue).map(([k, v]) => set([k])(v)),
  fc
    .tuple(fc.constantFrom('indicators', 'tables', 'narratives'), badKey)
    .map(([k, key]) => set([k, key])(k === 'tables' ? [] : k === 'narratives' ? ['x'] : 1)),
  fc.tuple(badKey, anyValue).map(([c, v]) => set(['tables', 'vanBanDienTu', 0, c])(v)),
  fc
    .tuple(
      fc.constantFrom('schemaVersion', 'templateId', 'division', 'period'),
      fc.oneof(
        anyValue,
        fc.constantFrom(
          1,
          '1',
          'cchc',
          'VP',
          'vp',
          ' VP',
          'VP ',
          'V',
          'ABCDEFGHIJKLM',
          '2021-Q1',
          '2021-Q5',
          '2021-q1',
          ' 2021-Q1',
          '2021-Q1\n',
        ),
      ),
    )
    .map(([k, v]) => set([k])(v)),
  fc.constantFrom('schemaVersion', 'templateId', 'division', 'period').map((k): Mutation => ({ path: [k], delete: true })),
  fc.tuple(fc.constantFrom('ghiChu', 'ngayNop', 'TABLES', '__proto__'), anyValue).map(([k, v]) => set([k])(v)),
  fc.constantFrom(
    set(['tables', 'vanBanDienTu'])(rows(501)),
    set(['tables', 'vanBanDienTu'])(rows(500)),
    set(['narratives', 'ketQuaNoiBat'])(new Long('item', 301)),
    set(['narratives', 'ketQuaNoiBat'])(new Long('item', 300)),
    set(['tables', 'vanBanDienTu', 0])('SCT'),
    set(['tables', 'vanBanDienTu', 0])(null),
  ),
);

function apply(raw: Raw, m: Mutation) {
  let o: Raw = raw;
  for (const p of m.path.slice(0, -1)) {
    if (typeof o[p] !== 'object' || o[p] === null) return; // an earlier change removed the parent
    o = o[p];
  }
  const last = m.path[m.path.length - 1];
  if (m.delete) delete o[last];
  else {
    const v = expand(m.value);
    // defineProperty: a "__proto__" key is an own property, as JSON.parse makes it.
    Object.defineProperty(o, last, { value: v, enumerable: true, writable: true, configurable: true });
  }
}

const fieldOf = (path: Array<string | number>) => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('');

/** A valid submission with one to three changes, and the fields they touch. */
function mutated(ms: Mutation[]) {
  const raw = clone(vpQ1);
  for (const m of ms) apply(raw, m);
  return { raw: json(raw), at: ms.map((m) => fieldOf(m.path)) };
}

// ---- the verdicts ---------------------------------------------------------------------------------

const under = (field: string, at: string) => field === at || field.startsWith(`${at}.`) || field.startsWith(`${at}[`);
const related = (e: Issue, at: string) => under(e.field, at) || under(at, e.field) || (e.fields ?? []).some((f) => under(f, at));
/** Indicators of the template that VP enters: the corpus changes these, so each must be read as the schema says. */
const READ = new Set(['indicators.kyPhatSong', 'indicators.tinBai', 'indicators.hoSoBuuChinh']);
/** What the server says on a field only when the schema refused it. */
const STRUCTURAL = new Set(['schema.object', 'schema.type', 'schema.version', 'schema.size']);

function expectSameVerdict(raw: unknown, at: string[] = []) {
  const accepts = schemaAccepts(raw);
  const why = () => JSON.stringify(schemaAccepts.errors?.slice(0, 2));
  // The server's structural check is the published schema: same verdict as Ajv.
  expect(structuralViolations(raw).length === 0, `structure; Ajv: ${accepts} ${why()}`).toBe(accepts);
  const r = validate(raw);
  if (!accepts) {
    // Refused by the schema: refused by the server, with an error naming a field the change touched.
    expect(r.ok, `server accepted what the schema refuses: ${why()}`).toBe(false);
    const named = at.length === 0 || r.errors.some((e) => at.some((a) => related(e, a)));
    expect(named, `no error names ${at.join(', ')}: ${JSON.stringify(r.errors.map((e) => e.field))}`).toBe(true);
    for (const e of r.errors) expect(e.message).toMatch(/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i);
  } else {
    // Accepted by the schema: the server raises no structural objection anywhere.
    const structural = r.errors.filter((e) => STRUCTURAL.has(e.rule));
    expect(structural, 'server refused the structure the schema accepts').toEqual([]);
    // …and reads each changed value: a number as the number it reads, null or blank as not entered.
    for (const a of at.filter((x) => READ.has(x))) {
      const value = (raw as Raw).indicators?.[a.slice('indicators.'.length)];
      const blank = value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
      const issues = r.errors.filter((e) => e.field === a && e.rule.startsWith('schema.'));
      expect(
        issues.map((e) => e.rule),
        `${a} = ${JSON.stringify(value)}`,
      ).toEqual(blank ? ['schema.required'] : []);
    }
  }
  return accepts;
}

describe('submission contract: docs/submission-schema.json and validateSubmission agree', () => {
  it('on every fixture: the samples of all divisions and quarters, and the example in docs/submission.md', () => {
    expect(fixtureFiles.length).toBe(32);
    for (const raw of [...fixtureFiles, docExample, ...sampleSubmissions.map(json)]) {
      expect(expectSameVerdict(raw)).toBe(true);
      expect(validate(raw).errors).toEqual([]);
    }
  });

  it('on the decisions taken where the two used to disagree', () => {
    const withValue = (f: (r: Raw) => void) => {
      const raw = clone(vpQ1);
      f(raw);
      return raw;
    };
    // "1 234": a space (or a no-break space) groups thousands like a dot; a comma never does.
    // (tinBai: declared up to 10.000 in the template, so every reading below is in range.)
    for (const [typed, read] of [
      ['1 234', 1234],
      ['9\u00a0075', 9075],
      ['10.000', 10000],
      [' 42 ', 42],
    ] as const) {
      const raw = withValue((r) => void (r.indicators.tinBai = typed));
      expect(expectSameVerdict(raw, ['indicators.tinBai'])).toBe(true);
      expect(validate(raw).submission?.indicators.tinBai, typed).toBe(read);
    }
    // Beyond the template's range: a number is refused by the schema, a text once read; one message names label and range.
    for (const typed of [10_001, '10.001', '9 007 199 254 740']) {
      const raw = withValue((r) => void (r.indicators.tinBai = typed));
      expect(expectSameVerdict(raw, ['indicators.tinBai'])).toBe(typeof typed === 'string');
      const errors = validate(raw).errors.filter((e) => e.field === 'indicators.tinBai');
      expect(errors.map((e) => e.rule)).toEqual(['range']);
      expect(errors[0].message).toMatch(/^“Số tin, bài về cải cách hành chính .*” phải từ 0 đến 10\.000 tin bài; nhận được /);
    }
    expect(
      expectSameVerdict(
        withValue((r) => void (r.indicators.kyPhatSong = '5,523')),
        ['indicators.kyPhatSong'],
      ),
    ).toBe(false);
    // null indicator: not entered (so "Chưa nhập …", not a type error).
    expect(
      expectSameVerdict(
        withValue((r) => void (r.indicators.kyPhatSong = null)),
        ['indicators.kyPhatSong'],
      ),
    ).toBe(true);
    // A narrative may be one bare string: one paragraph.
    const bare = withValue((r) => void (r.narratives.ketQuaNoiBat = 'Một đoạn.'));
    expect(expectSameVerdict(bare)).toBe(true);
    expect(validate(bare).submission?.narratives.ketQuaNoiBat).toEqual(['Một đoạn.']);
    // 15 digits at most, so every accepted number is exact.
    expect(
      expectSameVerdict(
        withValue((r) => void (r.indicators.kyPhatSong = '9999999999999999')),
        ['indicators.kyPhatSong'],
      ),
    ).toBe(false);
  });

  it('on generated near-misses of a valid submission', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (ms) => {
        const { raw, at } = mutated(ms);
        if (expectSameVerdict(raw, at)) accepted++;
        else refused++;
      }),
      { numRuns: 1500 },
    );
    // The corpus exercises both sides of the line.
    expect(Math.min(accepted, refused)).toBeGreaterThan(150);
  });

  it('on arbitrary JSON', () => {
    const shaped = fc.record(
      {
        schemaVersion: fc.oneof(fc.constant(1), fc.jsonValue()),
        templateId: fc.oneof(fc.constant('cchc'), fc.string()),
        division: fc.constantFrom('VP', 'TTRA', 'XX', ''),
        period: fc.constantFrom('2021-Q1', '2021', 'x'),
        indicators: fc.oneof(fc.dictionary(fc.oneof(fc.string(), badKey), fc.oneof(anyValue, fc.jsonValue())), fc.jsonValue()),
        tables: fc.dictionary(fc.oneof(fc.string(), badKey), fc.oneof(fc.array(fc.dictionary(fc.string(), anyValue)), fc.jsonValue())),
        narratives: fc.dictionary(fc.string(), fc.oneof(anyValue, fc.jsonValue())),
        confirmations: fc.jsonValue(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), shaped), (raw) => {
        expectSameVerdict(json(raw));
      }),
      { numRuns: 1000 },
    );
  });
});
