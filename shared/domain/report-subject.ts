import { parsePeriod } from './periods';
import type { ReportTemplate } from './template';

/** The report's subject line for a period: the template's subject with {period} filled. */
export function reportSubject(template: ReportTemplate, periodId: string): string {
  return template.subject.replace('{period}', parsePeriod(periodId).label);
}
