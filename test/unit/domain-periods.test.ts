import { describe, expect, it } from 'vitest';
import {
  deadlineEndMs,
  isQuarter,
  nextPeriodLabel,
  PeriodError,
  parsePeriod,
  previousQuarters,
  quarterDeadline,
  quarterOfDate,
} from '../../shared/domain/periods';

describe('parsePeriod', () => {
  it('gives a quarter its cut-off window from the 15th of the previous month to the 14th of its last month', () => {
    expect(parsePeriod('2021-Q2')).toEqual({
      id: '2021-Q2',
      kind: 'quarter',
      year: 2021,
      quarters: ['2021-Q2'],
      label: 'quý II năm 2021',
      from: '2021-03-15',
      to: '2021-06-14',
      deadline: '2021-06-20',
    });
    expect(parsePeriod('2021-Q3')).toMatchObject({
      from: '2021-06-15',
      to: '2021-09-14',
      deadline: '2021-09-20',
      label: 'quý III năm 2021',
    });
    expect(parsePeriod('2021-Q4')).toMatchObject({
      from: '2021-09-15',
      to: '2021-12-14',
      deadline: '2021-12-20',
      label: 'quý IV năm 2021',
    });
  });

  it('starts the first quarter on 15 December of the previous year', () => {
    expect(parsePeriod('2022-Q1')).toMatchObject({ from: '2021-12-15', to: '2022-03-14', deadline: '2022-03-20', label: 'quý I năm 2022' });
  });

  it('builds the cumulative periods from 15/12 of the previous year', () => {
    expect(parsePeriod('2021-H1')).toMatchObject({
      kind: 'half',
      quarters: ['2021-Q1', '2021-Q2'],
      label: '6 tháng đầu năm 2021',
      from: '2020-12-15',
      to: '2021-06-14',
      deadline: '2021-06-20',
    });
    expect(parsePeriod('2021-9M')).toMatchObject({
      kind: 'nine-months',
      quarters: ['2021-Q1', '2021-Q2', '2021-Q3'],
      label: '9 tháng năm 2021',
      from: '2020-12-15',
      to: '2021-09-14',
      deadline: '2021-09-20',
    });
    expect(parsePeriod('2021')).toMatchObject({
      kind: 'year',
      quarters: ['2021-Q1', '2021-Q2', '2021-Q3', '2021-Q4'],
      label: 'năm 2021',
      from: '2020-12-15',
      to: '2021-12-14',
      deadline: '2021-12-20',
    });
  });

  it.each(['2021-Q5', '2021-Q0', '21-Q1', '2021-H2', '2021-q1', '', 'năm 2021', '1999', '2100-Q1'])(
    'rejects %j with a Vietnamese PeriodError',
    (id) => {
      expect(() => parsePeriod(id)).toThrow(PeriodError);
      expect(() => parsePeriod(id)).toThrow(/Kỳ báo cáo .* không hợp lệ/);
    },
  );
});

describe('isQuarter', () => {
  it('accepts only quarter ids', () => {
    expect(isQuarter('2021-Q4')).toBe(true);
    expect(isQuarter('2021')).toBe(false);
    expect(isQuarter('2021-H1')).toBe(false);
    expect(isQuarter('2021-Q5')).toBe(false);
    expect(isQuarter(2021)).toBe(false);
  });
});

describe('quarterOfDate', () => {
  it('puts 15 December into the first quarter of the next year', () => {
    expect(quarterOfDate('15/12/2021')).toBe('2022-Q1');
    expect(quarterOfDate('2021-12-14')).toBe('2021-Q4');
    expect(quarterOfDate('14/03/2022')).toBe('2022-Q1');
    expect(quarterOfDate('15/03/2022')).toBe('2022-Q2');
    expect(quarterOfDate('14/9/2021')).toBe('2021-Q3');
    expect(quarterOfDate('15/9/2021')).toBe('2021-Q4');
  });

  it('reads a Date in Vietnam time (UTC+7)', () => {
    // 14/06/2021 18:00 UTC is already 15/06 01:00 in Vietnam: quarter III.
    expect(quarterOfDate(new Date('2021-06-14T18:00:00Z'))).toBe('2021-Q3');
    expect(quarterOfDate(new Date('2021-06-14T16:00:00Z'))).toBe('2021-Q2');
  });

  it('rejects an impossible date', () => {
    expect(() => quarterOfDate('31/02/2021')).toThrow(PeriodError);
  });
});

describe('deadlines', () => {
  it('are the 20th of the quarter’s last month, until the end of that day in Vietnam', () => {
    expect(quarterDeadline('2021-Q3')).toBe('2021-09-20');
    const end = deadlineEndMs('2021-09-20');
    expect(end).toBe(Date.parse('2021-09-20T23:59:59.999+07:00'));
  });

  it('name the following period', () => {
    expect(nextPeriodLabel(parsePeriod('2021'))).toBe('năm 2022');
    expect(nextPeriodLabel(parsePeriod('2021-Q4'))).toBe('quý I năm 2022');
    expect(nextPeriodLabel(parsePeriod('2021-Q1'))).toBe('quý II năm 2021');
    expect(nextPeriodLabel(parsePeriod('2021-H1'))).toBe('6 tháng cuối năm 2021');
  });
});

describe('previous quarters', () => {
  it('walks back across the year boundary, nearest first', () => {
    expect(previousQuarters('2022-Q2', 4)).toEqual(['2022-Q1', '2021-Q4', '2021-Q3', '2021-Q2']);
    expect(previousQuarters('2021-Q1', 1)).toEqual(['2020-Q4']);
  });
});
