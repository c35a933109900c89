import { parsePeriod } from './periods';
import type { ReportTemplate } from './template';

/** The report's subject line for a period: the template's subject with {period} filled. */
export function reportSubject(template: ReportTemplate, periodId: string): string {
  return template.subject.replace('{period}', parsePeriod(periodId).label);
}

/** The report type's name as pages list it: the subject without its period ("Kết quả thực hiện công tác cải cách hành chính"). */
export function reportTypeName(template: Pick<ReportTemplate, 'subject'>): string {
  return template.subject
    .replace(/\s*\{period\}\s*/g, ' ')
    .trim()
    .replace(/[,:]$/, '');
}
