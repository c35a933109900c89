import { describe, expect, it } from 'vitest';
import { type ApprovalStep, ApprovalStepSchema } from '../../shared/config/schema';
import { addWorkingDays, deciders, eventFromState, planApproval, stepDeadline } from '../../shared/domain/approval-plan';

const contact = (n: string) => ({ name: n, email: `${n}@x.example` });
const step = (over: Partial<ApprovalStep> & Record<string, unknown> = {}): ApprovalStep =>
  ApprovalStepSchema.parse({ role: 'Chánh Văn phòng', approvers: [contact('cvp')], deadlineHours: 48, ...over });
const chain = [step({ deputies: [contact('pcvp')] }), step({ role: 'Phó Giám đốc', approvers: [contact('pgd')] })];
// Thursday 16/12/2021 10:00 Vietnam time.
const T0 = new Date('2021-12-16T03:00:00Z');

describe('approval planner', () => {
  it('starts at step 1 and waits until the reminder is due', () => {
    const s = planApproval(chain, undefined, { kind: 'start' }, T0);
    expect(s).toMatchObject({ stepIndex: 0, phase: 'waiting', done: false, expired: false, timeoutSeconds: 24 * 3600 });
    expect(s.deadline).toBe('2021-12-18T03:00:00.000Z');
  });

  it('walks waiting → reminded → escalated → expired on timer events only', () => {
    const s0 = planApproval(chain, undefined, { kind: 'start' }, T0);
    const s1 = planApproval(chain, s0, { kind: 'timer' }, T0);
    expect(s1).toMatchObject({ phase: 'reminded', timeoutSeconds: 24 * 3600, deadline: s0.deadline });
    const s2 = planApproval(chain, s1, { kind: 'timer' }, T0);
    expect(s2).toMatchObject({ phase: 'escalated', timeoutSeconds: 24 * 3600, expired: false });
    const s3 = planApproval(chain, s2, { kind: 'timer' }, T0);
    expect(s3.expired).toBe(true);
  });

  it('moves to the next step on approval and is done after the last one', () => {
    const s0 = planApproval(chain, undefined, { kind: 'start' }, T0);
    const s1 = planApproval(chain, s0, { kind: 'approved' }, T0);
    expect(s1).toMatchObject({ stepIndex: 1, phase: 'waiting', done: false });
    expect(planApproval(chain, s1, { kind: 'approved' }, T0).done).toBe(true);
  });

  it('reminds halfway when the deadline is shorter than the reminder lead', () => {
    const short = [step({ deadlineHours: 10, remindHoursBefore: 24 })];
    expect(planApproval(short, undefined, { kind: 'start' }, T0).timeoutSeconds).toBe(5 * 3600);
  });

  it('counts working days, skipping the weekend in Vietnam time', () => {
    // Thursday + 2 working days = Monday, same time of day.
    expect(addWorkingDays(T0, 2).toISOString()).toBe('2021-12-20T03:00:00.000Z');
    expect(stepDeadline(step({ deadlineHours: undefined, deadlineWorkingDays: 1 }), T0).toISOString()).toBe('2021-12-17T03:00:00.000Z');
  });

  it('escalates to the deputies, else to the next level, else to the compiler', () => {
    const compiler = contact('vp');
    expect(deciders(chain, 0, 'waiting', compiler).map((c) => c.name)).toEqual(['cvp']);
    expect(deciders(chain, 0, 'escalated', compiler).map((c) => c.name)).toEqual(['cvp', 'pcvp']);
    const noDeputies = [step(), step({ approvers: [contact('pgd')] })];
    expect(deciders(noDeputies, 0, 'escalated', compiler).map((c) => c.name)).toEqual(['cvp', 'pgd']);
    expect(deciders(noDeputies, 1, 'escalated', compiler).map((c) => c.name)).toEqual(['pgd', 'vp']);
  });

  it('reads the event the state machine left at $.event', () => {
    expect(eventFromState({ start: true })).toEqual({ kind: 'start' });
    expect(eventFromState({ Error: 'States.Timeout', Cause: '' })).toEqual({ kind: 'timer' });
    expect(eventFromState({ decision: 'approve', decidedBy: 'a@x' })).toEqual({ kind: 'approved', decidedBy: 'a@x' });
  });

  it('refuses an unknown event instead of silently restarting the chain', () => {
    expect(() => eventFromState(undefined)).toThrow(/Unexpected approval event/);
    expect(() => eventFromState({ decision: 'maybe' })).toThrow(/Unexpected approval event/);
  });

  it('refuses a step without any deadline', () => {
    expect(() => ApprovalStepSchema.parse({ role: 'X', approvers: [contact('a')] })).toThrow(/thời hạn/);
  });
});
