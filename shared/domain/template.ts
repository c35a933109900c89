import { z } from 'zod';

/**
 * A report template as data: what divisions submit and where it goes in the document.
 * CONTRACT shared by validation/aggregation (shared/domain) and rendering (shared/docx).
 * Extend by adding optional fields; do not rename existing ones without updating both sides.
 */

const Id = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/);

export const IndicatorSchema = z.object({
  id: Id,
  /** Label as the form and the error messages show it, e.g. "Tổng số hồ sơ đã tiếp nhận". */
  label: z.string().min(1),
  unit: z.string().default(''),
  help: z.string().optional(),
  /** Division ids that submit this figure; their values are summed. */
  owners: z.array(z.string()).min(1),
  /**
   * How quarters combine into a cumulative period: "sum" (flows, e.g. dossiers received)
   * or "last" (stocks, e.g. number of staff, taken from the latest quarter).
   */
  combine: z.enum(['sum', 'last']).default('sum'),
});

export const RatioSchema = z.object({
  id: Id,
  label: z.string().min(1),
  numerator: Id,
  denominator: Id,
});

export const ColumnSchema = z.object({
  id: Id,
  label: z.string().min(1),
  type: z.enum(['text', 'integer', 'ratio']),
  /** Integer columns summed into the "Tổng" row. */
  sum: z.boolean().default(false),
  /** For ratio columns: recomputed from the summed columns, never typed in. */
  numerator: Id.optional(),
  denominator: Id.optional(),
  /** Optional group header above this column (merged across consecutive equal groups). */
  group: z.string().optional(),
});

export const TableSchema = z.object({
  id: Id,
  label: z.string().min(1),
  columns: z.array(ColumnSchema).min(1),
  owners: z.array(z.string()).min(1),
  /** Label of the total row; omit to render no total row. */
  totalLabel: z.string().optional(),
  /** Render in a landscape section (wide tables). */
  landscape: z.boolean().default(false),
});

export const NarrativeSchema = z.object({
  id: Id,
  label: z.string().min(1),
  owners: z.array(z.string()).min(1),
  help: z.string().optional(),
});

/** A block inside a section, in document order. */
export const BlockSchema = z.discriminatedUnion('type', [
  /** Fixed text; may hold placeholders {indicatorId}, {ratio:ratioId}, {fraction:numId/denId}. */
  z.object({ type: z.literal('text'), text: z.string(), style: z.enum(['body', 'dash', 'plus']).default('body') }),
  /** Items submitted by divisions for this narrative id, merged in division order. */
  z.object({ type: z.literal('narrative'), id: Id, style: z.enum(['body', 'dash', 'plus']).default('dash') }),
  z.object({ type: z.literal('table'), id: Id }),
]);

export type SectionInput = {
  /** As printed: "I", "1", "2.1", "2.2.1", "a". Rendered with the right punctuation by level. */
  number: string;
  title: string;
  blocks?: z.input<typeof BlockSchema>[];
  children?: SectionInput[];
};
export type Section = {
  number: string;
  title: string;
  blocks: z.output<typeof BlockSchema>[];
  children: Section[];
};
export const SectionSchema: z.ZodType<Section, SectionInput> = z.lazy(() =>
  z.object({
    number: z.string().min(1),
    title: z.string().min(1),
    blocks: z.array(BlockSchema).default([]),
    children: z.array(SectionSchema).default([]),
  }),
);

export const ReportTemplateSchema = z.object({
  id: Id,
  /** Subject line after "BÁO CÁO"; "{period}" is replaced by the period label, e.g. "năm 2021". */
  subject: z.string().min(1),
  /** Opening paragraph(s) before section I. */
  preamble: z.array(z.string()).default([]),
  /** Closing paragraph before "Nơi nhận". */
  closing: z.string().default(''),
  indicators: z.array(IndicatorSchema),
  ratios: z.array(RatioSchema).default([]),
  tables: z.array(TableSchema).default([]),
  narratives: z.array(NarrativeSchema).default([]),
  sections: z.array(SectionSchema).min(1),
});

export type Indicator = z.infer<typeof IndicatorSchema>;
export type Ratio = z.infer<typeof RatioSchema>;
export type Column = z.infer<typeof ColumnSchema>;
export type Table = z.infer<typeof TableSchema>;
export type Narrative = z.infer<typeof NarrativeSchema>;
export type Block = z.infer<typeof BlockSchema>;
export type ReportTemplate = z.infer<typeof ReportTemplateSchema>;
