import { describe, expect, it } from 'vitest';
import { organization } from '../../shared/config';
import { previousQuarter } from '../../shared/domain/periods';
import { completeness } from '../../shared/features/intake/completeness';
import { formModel } from '../../shared/features/intake/form-model';
import { lockState } from '../../shared/features/intake/lock';
import type { IntakeState } from '../../shared/features/intake/ports';
import { inviteExpiry, quarterDue } from '../../shared/features/intake/service';
import { newIntakeUploadKey, parseIntakeKey } from '../../shared/features/intake/upload-keys';
import type { StoredSubmission } from '../../shared/ports';
import { getTemplate } from '../../shared/templates';

const template = getTemplate('cchc');
/** 2021-Q1 is due on 20/03/2021; the day ends at 23:59:59.999 Vietnam time. */
const DEADLINE_END = Date.parse('2021-03-20T16:59:59.999Z');

describe('lock', () => {
  it('keeps a quarter open to the last millisecond of its deadline day in Vietnam time', () => {
    expect(lockState('2021-Q1', new Date(DEADLINE_END)).locked).toBe(false);
    expect(lockState('2021-Q1', new Date(DEADLINE_END + 1)).locked).toBe(true);
    expect(lockState('2021-Q1', new Date(DEADLINE_END)).deadlineEnd).toBe('2021-03-20T16:59:59.999Z');
  });

  it('lets a reopened division in until the reopen ends, not after', () => {
    const state = { reopenedUntil: '2021-04-05T00:00:00.000Z' };
    expect(lockState('2021-Q1', new Date('2021-04-04T23:59:59Z'), state)).toMatchObject({
      locked: false,
      reopenedUntil: state.reopenedUntil,
    });
    expect(lockState('2021-Q1', new Date('2021-04-05T00:00:01Z'), state).locked).toBe(true);
  });
});

describe('invite expiry and quarters', () => {
  it('expires invites at the deadline plus the grace days', () => {
    expect(inviteExpiry('2021-Q1')).toBe(new Date(DEADLINE_END + 5 * 86_400_000).toISOString());
    expect(inviteExpiry('2021-Q1', { graceDays: 0, reminderDaysBefore: 3 })).toBe('2021-03-20T16:59:59.999Z');
  });

  it('finds the quarter reminders are about and the previous quarter', () => {
    expect(quarterDue(new Date('2021-03-17T01:00:00Z'))).toBe('2021-Q1');
    expect(quarterDue(new Date('2021-03-21T01:00:00Z'))).toBe('2021-Q2');
    expect(quarterDue(new Date('2021-12-25T01:00:00Z'))).toBe('2022-Q1');
    expect(previousQuarter('2021-Q1')).toBe('2020-Q4');
    expect(previousQuarter('2021-Q3')).toBe('2021-Q2');
  });
});

describe('upload keys', () => {
  const hash = 'a'.repeat(64);
  const now = new Date('2021-03-10T02:03:04Z');

  it('names an invite upload after the invite and an operator upload without it', () => {
    const viaInvite = newIntakeUploadKey('2021-Q1', 'VP', now, 'xlsx', hash);
    expect(parseIntakeKey(viaInvite)).toEqual({ periodId: '2021-Q1', divisionId: 'VP', kind: 'xlsx', inviteHash: hash });
    const viaOperator = newIntakeUploadKey('2021-Q1', 'VP', now, 'json');
    expect(parseIntakeKey(viaOperator)).toEqual({ periodId: '2021-Q1', divisionId: 'VP', kind: 'json' });
  });

  it('does not let a malformed invite name pass as an operator upload', () => {
    expect(parseIntakeKey(`raw/2021-Q1/VP/n-${'a'.repeat(63)}-20210310-020304-abcd1234.json`)).toBeUndefined();
    expect(parseIntakeKey('raw/2021-Q1/VP/x.exe')).toBeUndefined();
    expect(parseIntakeKey('raw/2021-Q1/vp/x.json')).toBeUndefined();
  });
});

describe('form model', () => {
  it('holds only what the division owns, without row numbers and ratios', () => {
    const ttra = formModel(template, 'TTRA');
    expect(ttra.indicators).toEqual([]);
    expect(ttra.tables.map((t) => t.id)).toEqual(['thanhTraKiemTra']);
    const vp = formModel(template, 'VP');
    const dvc = vp.tables.find((t) => t.id === 'dichVuCongTrucTuyen')!;
    expect(dvc.columns.map((c) => c.id)).toEqual(['linhVuc', 'tiepNhan', 'trucTuyen', 'trucTiep']);
    expect(vp.indicators.find((i) => i.id === 'hoSoTiepNhan')).toMatchObject({ unit: 'hồ sơ' });
    expect(vp.narratives.some((n) => n.id === 'kiemTraCchc')).toBe(false);
  });
});

describe('completeness', () => {
  const sub = (divisionId: string, submittedAt: string, version = 1) =>
    ({ divisionId, periodId: '2021-Q1', version, submittedAt, submission: {} }) as unknown as StoredSubmission;
  const state = (divisionId: string, s: Partial<IntakeState>): IntakeState => ({ divisionId, periodId: '2021-Q1', remindersSent: 0, ...s });

  it('tells not started, on time, late, refused and reopened apart', () => {
    const report = completeness({
      organization,
      periodId: '2021-Q1',
      now: new Date('2021-04-01T00:00:00Z'),
      submissions: [
        sub('VP', '2021-03-20T16:59:59.999Z'),
        sub('TTRA', '2021-03-20T17:00:00.000Z'),
        sub('KHTC', '2021-03-10T00:00:00Z'),
        sub('QLTM', '2021-03-30T00:00:00Z', 2),
      ],
      states: [
        state('KHTC', {
          lastUploadStatus: 'refused',
          lastUploadAt: '2021-03-11T00:00:00Z',
          remindersSent: 2,
          lastReminderAt: '2021-03-17T01:00:00Z',
        }),
        state('QLCN', { reopenedAt: '2021-03-25T00:00:00Z', reopenedUntil: '2021-04-01T00:00:00Z' }),
        state('QLTM', { reopenedAt: '2021-03-25T00:00:00Z', reopenedUntil: '2021-04-01T00:00:00Z' }),
      ],
      invites: [],
    });
    const by = Object.fromEntries(report.divisions.map((d) => [d.divisionId, d.status]));
    expect(by).toMatchObject({ VP: 'on_time', TTRA: 'late', KHTC: 'refused', QLCN: 'reopened', QLTM: 'late', KTNL: 'not_started' });
    expect(report.divisions.find((d) => d.divisionId === 'KHTC')).toMatchObject({ remindersSent: 2, version: 1 });
    expect(report.counts).toEqual({ on_time: 1, late: 2, refused: 1, reopened: 1, not_started: 3 });
  });

  it('counts an accepted upload after a refused one as submitted', () => {
    const report = completeness({
      organization,
      periodId: '2021-Q1',
      now: new Date('2021-03-15T00:00:00Z'),
      submissions: [sub('VP', '2021-03-12T00:00:00Z', 2)],
      states: [state('VP', { lastUploadStatus: 'refused', lastUploadAt: '2021-03-11T00:00:00Z' })],
      invites: [],
    });
    expect(report.divisions[0].status).toBe('on_time');
  });
});
