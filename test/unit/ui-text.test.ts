import { describe, expect, it } from 'vitest';
import { organization } from '../../shared/config';
import { approvalRequestEmail, returnedEmail } from '../../shared/features/approval/emails';
import { auditActor, auditSentence, auditTechnical } from '../../shared/features/reports/audit-text';
import { gapOf, gapText } from '../../shared/features/reports/pages';
import { bareDocumentNumber, draftName, periodName } from '../../shared/format/period-name';
import { internalCodesIn } from '../e2e/ui-check';

describe('names people read', () => {
  it('names every kind of period in Vietnamese', () => {
    expect(['2021-Q1', '2021-Q4', '2021-H1', '2021-9M', '2021'].map(periodName)).toEqual([
      'Quý I/2021',
      'Quý IV/2021',
      '6 tháng đầu năm 2021',
      '9 tháng năm 2021',
      'Năm 2021',
    ]);
    expect(draftName(2)).toBe('Dự thảo lần 2');
    expect(bareDocumentNumber('Số: 05/BC-SCT')).toBe('05/BC-SCT');
  });

  it('turns audit codes into sentences, "system" into "Hệ thống", and folds keys and hashes away', () => {
    const division = (id: string) => (id === 'VP' ? 'Văn phòng' : id);
    const entry = {
      at: '2021-03-20T01:00:00Z',
      actor: 'system',
      action: 'intake.invite_open',
      detail: { division: 'VP', linkHash: 'abc' },
    };
    expect(auditSentence(entry, division)).toBe('Gửi liên kết nộp số liệu cho Văn phòng');
    expect(auditActor('system')).toBe('Hệ thống');
    expect(auditSentence({ ...entry, action: 'something.new' })).toBe('Thao tác khác của hệ thống');
    const hash = 'a'.repeat(64);
    const tech = auditTechnical({
      ...entry,
      action: 'submission.accepted',
      detail: { key: 'raw/2021-Q1/VP/x.json', sha256: hash, version: 2 },
    }).html;
    expect(tech).toMatch(/^<details><summary>Chi tiết kỹ thuật<\/summary>/);
    expect(tech).toContain(hash);
    expect(auditSentence({ ...entry, action: 'submission.accepted', detail: { version: 2 } })).toBe('Tiếp nhận số liệu, lần nộp thứ 2');
  });

  it('lists the gap of a period by quarter and division', () => {
    const gaps = gapOf(organization, ['2021-Q1'], [{ divisionId: 'VP', periodId: '2021-Q1' } as never]);
    expect(gaps[0].divisions).toHaveLength(organization.divisions.length - 1);
    expect(gapText(gaps)).toMatch(/^Quý I\/2021: /);
  });
});

describe('emails', () => {
  it('the approval request links a short draft route, never a presigned URL, and carries the gap', () => {
    const m = approvalRequestEmail({
      reason: 'request',
      draftUrl: `https://s3.example/drafts/x.docx?X-Amz-Signature=${'f'.repeat(600)}`,
      gap: 'Còn thiếu số liệu — Quý I/2021: Thanh tra Sở.',
      to: ['a@b'],
      approverName: 'Lương Văn Bình',
      role: 'Chánh Văn phòng',
      stepNumber: 1,
      stepCount: 2,
      periodLabel: 'quý I năm 2021',
      subject: 'công tác cải cách hành chính quý I năm 2021',
      draftVersion: 1,
      decisionUrl: 'https://bc.example/decision/abc',
      deadline: '20/03/2021 17:00',
    });
    expect(m.text).toContain('Tải dự thảo: https://bc.example/decision/abc/draft');
    expect(m.text).not.toContain('X-Amz');
    expect(m.text.length).toBeLessThan(1200);
    expect(m.text).toContain('LƯU Ý: dự thảo được tổng hợp khi số liệu còn thiếu');
    expect(m.subject).toContain('dự thảo lần 1');
    expect(internalCodesIn(m.text.replace(/https?:\/\/\S+/g, ''))).toEqual([]);
  });

  it('the return email sends the compiler to the report page, not to a CLI command', () => {
    const m = returnedEmail({
      to: ['a@b'],
      subject: 's',
      role: 'r',
      by: 'b',
      comment: 'c',
      reportUrl: 'https://bc.example/reports/x',
      audience: 'compiler',
    });
    expect(m.text).not.toMatch(/baocao (recompile|abandon)/);
    expect(m.text).toContain('Mở trang báo cáo: https://bc.example/reports/x');
  });
});
