/**
 * The sample annual report against the seed it reproduces (../shared/seed/000_fd486d8119b79e45.txt
 * in the workspace; test/fixtures/domain/seed-2021.txt in the repository), paragraph by paragraph:
 * no paragraph reordered, none stitched to another, none split, no note dropped. Tables are left
 * to the table tests. The differences that remain are listed below, each with its reason; a
 * difference not listed fails, and so does a listed one that no longer occurs (the list stays true).
 * The report is built with the one previous-year figure the seed states (118 procedures in 2020),
 * so its year-on-year bracket prints inside its sentence; without it (the demo, no 2020 on the
 * system) only that bracket goes, the sentence stays whole.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { paragraphTexts, readDocx } from '../fixtures/docx/docx-reader';
import { diffParagraphs, type Finding, generatedParagraphs, normalizeParagraph, seedParagraphs } from '../support/paragraph-diff';
import { sampleAnnualDocx, sampleSeedPreviousYear } from '../support/sample-report';

const SEED = join(import.meta.dirname, '../fixtures/domain/seed-2021.txt');

/** The seed's page breaks that fell between two words of one paragraph with a capital after them. */
const PAGE_BREAK_JOINS = ['Sở Công', 'ngày'];

interface Allowed {
  kind: Finding['kind'];
  /** The start of the seed paragraph (for dropped, changed, split). */
  seed?: string;
  /** The start of the generated paragraph (for added, changed). */
  generated?: string;
  why: string;
}

const ALLOWED: Allowed[] = [
  {
    kind: 'changed',
    seed: '- Trong năm, đã thực hiện đăng tải 15 tin bài',
    why: 'The template names the period ("Trong năm 2021") and pads counts under 10 ("04 kỳ"), the number style the seed uses elsewhere ("01", "02").',
  },
  {
    kind: 'changed',
    seed: '- Sở Công Thương đã tham mưu công tác đơn giản hóa TTHC tại Văn bản số 4734',
    why: 'The count of simplified procedures (13) is an indicator, printed by its own template sentence (the "added" entry below), not typed inside the division item.',
  },
  {
    kind: 'added',
    generated: '- Số thủ tục hành chính ngành công thương được đơn giản hóa trong năm 2021: 13 thủ tục.',
    why: 'See above: the figure 13 of the seed, from the indicator.',
  },
  {
    kind: 'changed',
    seed: 'Trong năm có 3 hồ sơ bị trễ hạn so với quy định, nguyên nhân',
    why: 'Same paragraph: the template sentence with the figure ("Trong năm 2021 có 03 hồ sơ …") and the cause the division typed run on in one paragraph, with a full stop where the seed has a comma.',
  },
  {
    kind: 'changed',
    seed: '- Số thủ tục phát sinh hồ sơ nhận hoặc trả qua dịch vụ bưu chính và tỷ lệ tương ứng.',
    why: 'The seed left this form line unfilled although its figure exists; the report prints it (issue 13).',
  },
  {
    kind: 'changed',
    seed: 'c) Thực hiện Kế hoạch số 9777/KH-UBND',
    why: "The heading is the form's generic label; the seed typed the year's plan number into it.",
  },
  {
    kind: 'changed',
    seed: '- Kết quả áp dụng chữ ký số: thực hiện gửi, nhận 100% văn bản điện tử',
    why: 'Figures from indicators: "100%" of the seed contradicts the 94,27% in the same sentence and is not printed; "trục liên thông" is the spelling the sample data corrected.',
  },
  {
    kind: 'changed',
    seed: '- Đảm bảo 100% Ban Lãnh đạo Sở, cán bộ chủ chốt',
    why: 'Spelling corrected in the sample data: "trục liên thông" (the seed: "trực").',
  },
  {
    kind: 'changed',
    seed: 'Trong năm 2021, Sở Công Thương có 03 hồ sơ trễ hạn (01 hồ sơ',
    why: 'Same paragraph: the figure comes from the template sentence, the breakdown the division typed runs on after it ("Trong đó, 01 … 02 …") instead of in brackets inside it.',
  },
  {
    kind: 'changed',
    seed: '- Về sử dụng phần mềm quản lý, điều hành văn bản:',
    why: 'One paragraph as in the seed (the template sentence with the figures continues the division item): "07 Sim PKI" in the number style the seed uses elsewhere, the seed\'s repeated "chứng thư số" dropped, "trục liên thông" spelled as the sample data corrected it.',
  },
];

const text = (f: Finding): { seed?: string; generated?: string } => ({
  seed: 'seed' in f ? (Array.isArray(f.seed) ? f.seed[0] : (f.seed as string)) : 'text' in f ? f.text : undefined,
  generated: 'generated' in f ? (Array.isArray(f.generated) ? f.generated[0] : (f.generated as string)) : undefined,
});

function allowedFor(f: Finding): Allowed | undefined {
  const t = text(f);
  return ALLOWED.find(
    (a) =>
      a.kind === f.kind &&
      (a.seed === undefined || (t.seed ?? '').startsWith(a.seed)) &&
      (a.generated === undefined || (t.generated ?? '').startsWith(a.generated)),
  );
}

describe('the sample annual report follows the seed paragraph by paragraph', async () => {
  const seedText = await readFile(SEED, 'utf8');
  const seed = seedParagraphs(seedText, 'Kính gửi', 'Nơi nhận', PAGE_BREAK_JOINS);
  const docx = await readDocx(await sampleAnnualDocx('final', { previous: sampleSeedPreviousYear() }));
  const generated = generatedParagraphs(docx.document, 'Kính gửi', 'Nơi nhận', paragraphTexts);
  const findings = diffParagraphs(seed, generated);
  const demoDocx = await readDocx(await sampleAnnualDocx());
  const demo = generatedParagraphs(demoDocx.document, 'Kính gửi', 'Nơi nhận', paragraphTexts);

  it('reads both sides', () => {
    expect(seed.length).toBeGreaterThan(200);
    expect(generated.length).toBeGreaterThan(200);
  });

  it('reorders, stitches and drops nothing', () => {
    const bad = findings.filter((f) => f.kind === 'reordered' || f.kind === 'stitched' || f.kind === 'dropped');
    expect(bad).toEqual([]);
  });

  it('differs only where the list says why', () => {
    const unexplained = findings.filter((f) => !allowedFor(f));
    expect(unexplained).toEqual([]);
    const stale = ALLOWED.filter((a) => !findings.some((f) => allowedFor(f) === a));
    expect(stale).toEqual([]);
  });

  it('prints the year-on-year bracket inside its sentence, and without the previous year only leaves the bracket out', () => {
    const online = (ps: string[]) => ps.filter((p) => p.startsWith('- Hiện nay, Sở Công Thương đã áp dụng tiếp nhận hồ sơ'));
    const [withPrevious] = online(generated);
    expect(online(seed)).toEqual([withPrevious]);
    expect(withPrevious).toContain(
      '116/116 (giảm 02 thủ tục so với năm 2020 theo Quyết định số 545/QĐ-UBND ngày 09/02/2021 của UBND tỉnh) thủ tục',
    );
    // The demo has no 2020 on the system: the same paragraph, one sentence, without the bracket.
    expect(online(demo)).toEqual([withPrevious.replace(/ \(giảm 02 thủ tục[^)]*\)/, '')]);
    expect(demo.filter((p) => !generated.includes(p))).toEqual(online(demo));
    expect(demo.join('\n')).not.toContain('so với năm 2020');
  });

  it('keeps every note of the seed', () => {
    const all = generated.join('\n');
    const notes = [...seedText.matchAll(/\((?:\*)?(số liệu tính[^)]*|tại [^)]*|file đính kèm[^)]*)\)/g)].map((m) =>
      normalizeParagraph(m[0]),
    );
    expect(notes.length).toBeGreaterThanOrEqual(6);
    for (const note of notes) {
      // The seed's own typo "từ ngày 15/11/2020" (III.1) against its "15/12/2020" (2.2.1, 2.2.2): one cut-off date.
      const expected = note.replace('từ ngày 15/11/2020', 'từ 15/12/2020');
      expect(all.includes(expected) || all.includes(note), note).toBe(true);
    }
  });
});
