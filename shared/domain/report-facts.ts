import { z } from 'zod';
import { stripInvisible } from '../format/clean-text';
import type { ReportFact, ReportTemplate } from './template';

/**
 * Report facts: what the compiler types when starting a compile (the "căn cứ" sentence with this
 * year's plan and guidance numbers, a cut-off note …), declared by the template (reportFacts),
 * stored on the report and printed through {fact:id}.
 */
export const ReportFactsInputSchema = z.record(z.string(), z.string({ error: 'Mỗi thông tin của báo cáo phải là một đoạn chữ.' }));
export type ReportFacts = Record<string, string>;
/** Longest fact accepted: a "căn cứ" sentence citing several plans is a few hundred characters. */
export const MAX_FACT_CHARS = 4_000;

export interface ReportFactsCheck {
  /** Trimmed, NFC, without invisible characters, only the template's facts, empty ones dropped. */
  facts: ReportFacts;
  /** Vietnamese, one per problem, naming the field by its label. */
  errors: string[];
}

export function checkReportFacts(template: ReportTemplate, input: unknown): ReportFactsCheck {
  const parsed = ReportFactsInputSchema.safeParse(input ?? {});
  if (!parsed.success) return { facts: {}, errors: ['Thông tin của báo cáo (reportFacts) phải là các cặp mã - nội dung chữ.'] };
  const errors: string[] = [];
  const facts: ReportFacts = {};
  const declared = new Map(template.reportFacts.map((f) => [f.id, f]));
  for (const [id, value] of Object.entries(parsed.data)) {
    if (!declared.has(id)) {
      errors.push(`Mẫu báo cáo "${template.id}" không có thông tin "${id}".`);
      continue;
    }
    // A fact is printed in the report's text: no invisible or direction-changing characters, and a
    // sentence, not a file (the report record has a size limit too).
    const v = stripInvisible(value);
    const label = declared.get(id)!.label;
    if (v.length > MAX_FACT_CHARS) {
      errors.push(
        `"${label}" (${id}) dài ${v.length.toLocaleString('vi-VN')} ký tự, vượt quá ${MAX_FACT_CHARS.toLocaleString('vi-VN')} ký tự.`,
      );
      continue;
    }
    if (v) facts[id] = v;
  }
  for (const f of template.reportFacts) {
    if (f.required && !facts[f.id]) errors.push(`Chưa nhập "${f.label}" (${f.id}).`);
  }
  return { facts, errors };
}

export interface FactOffer {
  fact: ReportFact;
  /** What the form shows pre-filled. */
  value: string;
  /** Where the value comes from: last period's report, the template's default, or nothing. */
  source: 'previous' | 'default' | 'none';
}

/** The compile form's fields, pre-filled with last period's values (then the template's defaults). */
export function offerReportFacts(template: ReportTemplate, previous: ReportFacts | undefined): FactOffer[] {
  return template.reportFacts.map((fact) => {
    const last = previous?.[fact.id]?.trim();
    if (last) return { fact, value: last, source: 'previous' };
    if (fact.default) return { fact, value: fact.default, source: 'default' };
    return { fact, value: '', source: 'none' };
  });
}
