import { describe, expect, it } from 'vitest';
import { fillPlaceholders } from '../../shared/domain/placeholders';
import {
  cleanText,
  formatCount,
  formatDateLine,
  formatDecimal,
  formatDocumentNumber,
  formatFraction,
  formatInteger,
  formatPercent,
  nfc,
  PERCENT_SPACE,
  padTwo,
} from '../../shared/format/vi';
import { fixtureReport } from '../fixtures/docx/report';

const NBSP = '\u00a0';

describe('formatInteger', () => {
  it('groups thousands with dots', () => {
    expect(formatInteger(16075)).toBe('16.075');
    expect(formatInteger(24547)).toBe('24.547');
    expect(formatInteger(1234567)).toBe('1.234.567');
  });
  it('leaves small numbers and zero alone', () => {
    expect(formatInteger(0)).toBe('0');
    expect(formatInteger(999)).toBe('999');
  });
  it('keeps the sign of negatives', () => {
    expect(formatInteger(-1234)).toBe('-1.234');
  });
});

describe('formatPercent and formatDecimal', () => {
  it('prints 98.95 as "98,95 %" with a no-break space', () => {
    expect(formatPercent(98.95)).toBe(`98,95${NBSP}%`);
    expect(PERCENT_SPACE).toBe(NBSP);
  });
  it('always prints two decimals', () => {
    expect(formatPercent(100)).toBe(`100,00${NBSP}%`);
    expect(formatPercent(1.5)).toBe(`1,50${NBSP}%`);
    expect(formatPercent(0)).toBe(`0,00${NBSP}%`);
  });
  it('does not re-round an already rounded ratio', () => {
    // 15906/16075 = 98.9486…; aggregation rounds to 98.95 and formatting must keep it.
    expect(formatPercent(98.95)).not.toContain('98,94');
    expect(formatPercent(94.27)).toBe(`94,27${NBSP}%`);
  });
  it('prints a dash when the ratio is undefined (denominator 0)', () => {
    expect(formatPercent(null)).toBe('-');
  });
  it('formats decimals with a comma and grouped thousands', () => {
    expect(formatDecimal(1234.5)).toBe('1.234,50');
    expect(formatDecimal(1.5, 1)).toBe('1,5');
    expect(formatDecimal(-0.25)).toBe('-0,25');
  });
});

describe('leading zeros', () => {
  it('pads numbers under 10', () => {
    expect(padTwo(5)).toBe('05');
    expect(padTwo(0)).toBe('00');
    expect(padTwo(12)).toBe('12');
  });
  it('formats fractions as clerks type them', () => {
    expect(formatFraction(5, 7)).toBe('05/07');
    expect(formatFraction(116, 116)).toBe('116/116');
    expect(formatFraction(2, 16075)).toBe('02/16.075');
    expect(formatCount(3)).toBe('03');
  });
  it('formats the document number', () => {
    expect(formatDocumentNumber(5, 'BC-SCT')).toBe('Số: 05/BC-SCT');
    expect(formatDocumentNumber(123, 'BC-SCT')).toBe('Số: 123/BC-SCT');
    expect(formatDocumentNumber(null, 'BC-SCT')).toMatch(/^Số:\s+\/BC-SCT$/u);
  });
});

describe('formatDateLine', () => {
  it('pads days under 10 and months January and February', () => {
    expect(formatDateLine('Đồng Nai', '2025-01-05')).toBe('Đồng Nai, ngày 05 tháng 01 năm 2025');
    expect(formatDateLine('Đồng Nai', '2025-02-09')).toBe('Đồng Nai, ngày 09 tháng 02 năm 2025');
  });
  it('does not pad months from March on, nor days from 10 on', () => {
    expect(formatDateLine('Đồng Nai', '2025-03-15')).toBe('Đồng Nai, ngày 15 tháng 3 năm 2025');
    expect(formatDateLine('Đồng Nai', '2025-12-20')).toBe('Đồng Nai, ngày 20 tháng 12 năm 2025');
    expect(formatDateLine('Đồng Nai', '2025-10-01')).toBe('Đồng Nai, ngày 01 tháng 10 năm 2025');
  });
  it('uses the calendar day in Vietnam (UTC+7) for instants', () => {
    // 20:00 UTC on 4 January is 03:00 on 5 January in Đồng Nai.
    expect(formatDateLine('Đồng Nai', new Date('2025-01-04T20:00:00Z'))).toBe('Đồng Nai, ngày 05 tháng 01 năm 2025');
  });
  it('leaves day and month blank for a draft', () => {
    const line = formatDateLine('Đồng Nai', null);
    expect(line).toMatch(/^Đồng Nai, ngày\s+tháng\s+năm$/u);
    expect(line).not.toMatch(/\d/);
  });
});

describe('nfc and cleanText', () => {
  it('composes decomposed Vietnamese', () => {
    const nfd = 'Quyết định'.normalize('NFD');
    expect(nfd).not.toBe('Quyết định');
    expect(nfc(nfd)).toBe('Quyết định');
  });
  it('strips characters XML cannot carry and keeps tab, newline, emoji', () => {
    expect(cleanText('a\u0000b\u0007c\u001Fd\uFFFEe')).toBe('abcde');
    expect(cleanText('x\ty\nz 🎉')).toBe('x\ty\nz 🎉');
    expect(cleanText('lone \uD800 surrogate')).toBe('lone  surrogate');
  });
});

describe('fillPlaceholders', () => {
  const report = fixtureReport();

  it('fills indicators, ratios, fractions and the period', () => {
    const r = fillPlaceholders(
      'Tiếp nhận {hoSoTiepNhan} hồ sơ, đạt {ratio:tyLeDvc}; ban hành {fraction:vbqpplBanHanh/vbqpplKeHoach} văn bản {period}, định hướng năm {nextYear}.',
      report,
    );
    expect(r.unknown).toEqual([]);
    expect(r.text).toBe(`Tiếp nhận 16.075 hồ sơ, đạt 98,95${NBSP}%; ban hành 05/07 văn bản năm 2021, định hướng năm 2022.`);
  });

  it('leaves unknown placeholders visible and reports them', () => {
    const r = fillPlaceholders('A {khongCo} B {ratio:khongCo} C {fraction:hoSoTiepNhan/khongCo}', report);
    expect(r.text).toBe('A [?khongCo] B [?ratio:khongCo] C [?fraction:hoSoTiepNhan/khongCo]');
    expect(r.unknown).toEqual(['khongCo', 'ratio:khongCo', 'fraction:hoSoTiepNhan/khongCo']);
  });

  it('prints a dash for a ratio whose denominator was zero', () => {
    const r = fillPlaceholders('{ratio:tyLeDvc}', { ...report, ratios: { tyLeDvc: null } });
    expect(r).toEqual({ text: '-', unknown: [] });
  });

  it('leaves text without placeholders untouched', () => {
    const text = 'Kế hoạch số 116/KH-SCT (không có {} biến).';
    expect(fillPlaceholders(text, report)).toEqual({ text, unknown: [] });
  });
});
