import * as z from 'zod';
import { MAX_INTEGER } from './format';

/**
 * A report template as data: what divisions submit and where it goes in the document.
 * CONTRACT shared by validation/aggregation (shared/domain) and rendering (shared/docx).
 * Extend by adding optional fields; do not rename existing ones without updating both sides.
 */

const Id = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/);

export const IndicatorSchema = z
  .object({
    id: Id,
    /** Label as the form and the error messages show it, e.g. "Tổng số hồ sơ đã tiếp nhận". */
    label: z.string().min(1),
    unit: z.string().default(''),
    help: z.string().optional(),
    /**
     * Who submits this figure; their values are summed. In a bundled template these are role ids
     * (template.roles) that the organization maps to its divisions (see shared/domain/ownership.ts);
     * once bound to an organization they are division ids.
     */
    owners: z.array(z.string()).min(1),
    /**
     * How quarters combine into a cumulative period: "sum" (flows, e.g. dossiers received)
     * or "last" (stocks, e.g. number of staff, taken from the latest quarter).
     */
    combine: z.enum(['sum', 'last']).default('sum'),
    /**
     * Compare with the division's earlier quarters and warn on a value far outside them.
     * Off for small counts (dossiers late, news items …) where a jump from 1 to 4 is normal.
     */
    outlierCheck: z.boolean().default(true),
    /**
     * Plausible range of one division's value for one quarter: a value outside it is refused, naming
     * the label and the range. Without \`max\`, DEFAULT_MAX_COUNT applies (shared/domain/submission/ranges.ts).
     */
    min: z.number().int().min(0).max(MAX_INTEGER).optional(),
    max: z.number().int().min(0).max(MAX_INTEGER).optional(),
  })
  .refine((x) => x.min === undefined || x.max === undefined || x.min <= x.max, {
    message: 'min phải nhỏ hơn hoặc bằng max',
    path: ['min'],
  });

/**
 * A consistency rule between figures, as data. Applied to indicators (template.rules, operands are
 * indicator ids) or to each row of a table (table.rules, operands are column ids).
 * "sumEquals": sum(parts) must equal total. "lte": sum(left) must not exceed right.
 * "cumulativeLte" (indicators only): this year's running total of the flows in left (earlier
 * quarters from the division's history + this one) must not exceed the stock in right.
 * The id is what Issue.rule carries and what a confirmation of a warning is keyed by.
 */
export const RuleSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('sumEquals'),
    id: z.string().min(1),
    parts: z.array(Id).min(1),
    total: Id,
    severity: z.enum(['error', 'warning']).default('error'),
  }),
  z.object({
    kind: z.literal('lte'),
    id: z.string().min(1),
    left: z.array(Id).min(1),
    right: Id,
    severity: z.enum(['error', 'warning']).default('error'),
  }),
  z.object({
    kind: z.literal('cumulativeLte'),
    id: z.string().min(1),
    left: z.array(Id).min(1),
    right: Id,
    severity: z.enum(['error', 'warning']).default('warning'),
  }),
]);

export const RatioSchema = z.object({
  id: Id,
  label: z.string().min(1),
  numerator: Id,
  denominator: Id,
});

export const ColumnSchema = z
  .object({
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
    /**
     * How values of the same row (same key) from several quarters of one division combine:
     * "sum" for flows, "last" for stocks (e.g. number of staff). Integer columns only.
     */
    combine: z.enum(['sum', 'last']).default('sum'),
    /** Entered and used (e.g. as a ratio denominator) but not printed. */
    hidden: z.boolean().default(false),
    /** Text columns: checked format. "date" dd/mm/yyyy, "dateRange" dd/mm/yyyy-dd/mm/yyyy, "docRef" "số N/XX-YYY ngày dd/mm/yyyy". */
    format: z.enum(['date', 'dateRange', 'docRef']).optional(),
    /** Text columns: what the total row shows — the number of non-empty cells or of distinct values. */
    count: z.enum(['nonEmpty', 'distinct']).optional(),
    /** Integer columns: the indicator this column's total must equal in the same submission (filled from it when the indicator is left out). */
    indicator: Id.optional(),
    /** Text columns: a row must fill this cell. */
    required: z.boolean().default(false),
    /** Printed cells: consecutive rows with the same text share one cell spanning them (as the inspection table's "Nội dung"). */
    spanRows: z.boolean().default(false),
    /** Integer columns: plausible range of one cell, as for indicators. */
    min: z.number().int().min(0).max(MAX_INTEGER).optional(),
    max: z.number().int().min(0).max(MAX_INTEGER).optional(),
  })
  .refine((x) => x.min === undefined || x.max === undefined || x.min <= x.max, {
    message: 'min phải nhỏ hơn hoặc bằng max',
    path: ['min'],
  });

export const TableSchema = z.object({
  id: Id,
  label: z.string().min(1),
  columns: z.array(ColumnSchema).min(1),
  owners: z.array(z.string()).min(1),
  /** Label of the total row; omit to render no total row. */
  totalLabel: z.string().optional(),
  /** Render in a landscape section: only for tables whose columns cannot fit a portrait page. */
  landscape: z.boolean().default(false),
  /**
   * Printed as an appendix (phụ lục) after the signature block, on pages of its own, instead of
   * where it stands: for a wide table whose landscape section would leave the text page before it
   * near empty. Where it stood the body prints `reference` ({annex} = "Phụ lục I"), and a lead-in
   * introducing the table is left out.
   */
  annex: z
    .object({
      /** Printed in capitals; placeholders allowed ({period}). */
      title: z.string().min(1),
      reference: z.string().min(1).default('Chi tiết tại {annex} kèm theo.'),
    })
    .optional(),
  /** Type size of the printed table (pt); default by column count: 12, 11 above 7 columns, 10 above 10. */
  fontSizePt: z.number().min(9).max(14).optional(),
  /**
   * The .xlsx sheet's name after its number ("3. " + this; Excel allows 31 characters in all);
   * else the label, abbreviated by rule and shortened by whole words.
   */
  sheetName: z.string().min(1).max(27).optional(),
  /** A row of column numbers (1, 2, 3 …) under the header, where the form has one. */
  columnNumbers: z.boolean().default(false),
  /** Consistency rules checked on every row (operands are column ids). */
  rules: z.array(RuleSchema).default([]),
  /**
   * The indicators its columns name (column.indicator) are only this table's totals (form
   * 06/VPCP/KSTT): forms and .xlsx files do not ask for them, the validator fills them from the rows,
   * and a division sending no row is told to fill the table.
   */
  totalsAreIndicators: z.boolean().default(false),
});

export const NarrativeSchema = z.object({
  id: Id,
  label: z.string().min(1),
  owners: z.array(z.string()).min(1),
  help: z.string().optional(),
  /**
   * The report's order of items, whatever order divisions submit in: each key is the start of an
   * item as the report prints it (matched case- and space-insensitively). Items matching a key come
   * in key order, the others after them in division order.
   */
  order: z.array(z.string().min(1)).default([]),
});

/**
 * A comparison with the same period of the previous year, printed as {compare:id}:
 * "tăng 12,5% so với cùng kỳ năm 2020" (percent) or "giảm 02 thủ tục so với năm 2020" (count).
 * A text block using it is left out when either figure is missing.
 */
export const ComparisonSchema = z.object({
  id: Id,
  indicator: Id,
  kind: z.enum(['percent', 'count']),
  /** Count comparisons: the unit after the number, e.g. "thủ tục". */
  unit: z.string().default(''),
  /** "cùng kỳ năm" (default) or "năm": "… so với cùng kỳ năm 2020". */
  against: z.string().default('cùng kỳ năm'),
});

/** How figures print in one document; the defaults are the older house style. */
export const NumberStyleSchema = z.object({
  /** "98,95 %" (true) or "98,95%" (false). */
  percentSpace: z.boolean().default(true),
  /** "100%" rather than "100,00%", "12,5%" rather than "12,50%". */
  trimZeros: z.boolean().default(false),
  /** Counts under 10 in text and table cells get a leading zero: "03 hồ sơ", "01". */
  padCounts: z.boolean().default(false),
});

/** A block inside a section, in document order. */
export const BlockSchema = z.discriminatedUnion('type', [
  /**
   * Fixed text; may hold placeholders {indicatorId}, {ratio:ratioId}, {fraction:numId/denId},
   * {period}, {year}, {nextYear} (see shared/domain/placeholders.ts).
   */
  z.object({
    type: z.literal('text'),
    text: z.string(),
    style: z.enum(['body', 'dash', 'plus']).default('body'),
    /**
     * When every figure the text uses ({indicator}, {fraction:…}, {ratio:…} operands) is 0 or absent:
     * "omit" leaves the sentence out, any other string is printed instead (placeholders allowed).
     */
    ifZero: z.string().optional(),
    /** A lead-in ("…, cụ thể:"): printed only when the next block prints something. */
    leadIn: z.boolean().default(false),
    /**
     * The text continues the last item of the narrative just before, in its paragraph
     * ("… lưu trữ tỉnh); Tích hợp ký điện tử …"), as the report writes a division's item and the
     * figures that complete it; printed on its own when that narrative has no item.
     */
    continues: z.boolean().optional(),
  }),
  /**
   * Items submitted by divisions for this narrative id, merged in division order, then in the
   * template's order keys (narrative.order) when the narrative declares them.
   */
  z.object({
    type: z.literal('narrative'),
    id: Id,
    style: z.enum(['body', 'dash', 'plus']).default('dash'),
    /** How an item nobody wrote reads: left out (default) or this text, e.g. "Không phát sinh.". */
    ifEmpty: z.string().optional(),
    /**
     * The items continue the text block just before, in its paragraph, as the report writes them:
     * "sentence" runs the first item on after the text ("… so với quy định. Nguyên nhân là …"),
     * "list" runs all of them on as "(1) …; (2) …." after a lead-in ending in ":".
     */
    runOn: z.enum(['sentence', 'list']).optional(),
  }),
  /** A table with no rows is left out, with its lead-in; ifEmpty prints a sentence instead. */
  z.object({ type: z.literal('table'), id: Id, ifEmpty: z.string().optional() }),
]);

export type SectionInput = {
  /** As printed: "I", "1", "2.1", "2.2.1", "a". Rendered with the right punctuation by level. */
  number: string;
  /**
   * The report prints no heading here: the number runs into the first paragraph ("a) Trong năm
   * 2021, …"). The title remains the form's label for the part.
   */
  runIn?: boolean;
  /** May hold placeholders, e.g. "PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {nextYear}". */
  title: string;
  blocks?: z.input<typeof BlockSchema>[];
  children?: SectionInput[];
};
export type Section = {
  number: string;
  runIn?: boolean;
  title: string;
  blocks: z.output<typeof BlockSchema>[];
  children: Section[];
};
export const SectionSchema: z.ZodType<Section, SectionInput> = z.lazy(() =>
  z.object({
    number: z.string().min(1),
    runIn: z.boolean().optional(),
    title: z.string().min(1),
    blocks: z.array(BlockSchema).default([]),
    children: z.array(SectionSchema).default([]),
  }),
);

/** A role a template item can be owned by; each organization maps roles to its divisions. */
export const RoleSchema = z.object({ id: Id, label: z.string().min(1) });

/**
 * A fact of one report that changes every period (the opening "căn cứ" sentence with its plan and
 * guidance numbers, a data cut-off note …): the compiler fills it when starting the compile.
 * Used in template text as {fact:id}.
 */
export const ReportFactSchema = z.object({
  id: Id,
  /** Label on the compile form and in messages, e.g. "Căn cứ báo cáo (kế hoạch, văn bản hướng dẫn)". */
  label: z.string().min(1),
  required: z.boolean().default(true),
  help: z.string().optional(),
  /** Shown as a hint, never used as a value. */
  example: z.string().optional(),
  /** Offered when the previous report has no value. */
  default: z.string().optional(),
});

/** A text of the organization the template uses as {org:id} beyond the standard fields (see ORG_FIELDS). */
export const OrganizationTextSchema = z.object({ id: Id, label: z.string().min(1) });

export const ReportTemplateSchema = z.object({
  id: Id,
  /** Short name of the report type in file names and exports, e.g. "cchc" (default: id). */
  slug: z.string().optional(),
  /**
   * Kinds of period this report type is compiled for (default: every kind). A report whose rows mix
   * stocks and flows (form 06/VPCP/KSTT: "kỳ trước chuyển qua" + new dossiers) is only additive
   * within one quarter, so it declares ["quarter"].
   */
  periodKinds: z
    .array(z.enum(['quarter', 'half', 'nine-months', 'year']))
    .min(1)
    .optional(),
  roles: z.array(RoleSchema).default([]),
  reportFacts: z.array(ReportFactSchema).default([]),
  organizationTexts: z.array(OrganizationTextSchema).default([]),
  /** Subject line after "BÁO CÁO"; "{period}" is replaced by the period label, e.g. "năm 2021". */
  subject: z.string().min(1),
  /** Opening paragraph(s) before section I; period placeholders allowed (as in the closing). */
  preamble: z.array(z.string()).default([]),
  /** Closing paragraph before "Nơi nhận". */
  closing: z.string().default(''),
  indicators: z.array(IndicatorSchema),
  ratios: z.array(RatioSchema).default([]),
  tables: z.array(TableSchema).default([]),
  narratives: z.array(NarrativeSchema).default([]),
  /** Consistency rules between indicators of one submission (see RuleSchema). */
  rules: z.array(RuleSchema).default([]),
  /** Year-on-year sentences ({compare:id}), printed only when both years' figures exist. */
  comparisons: z.array(ComparisonSchema).default([]),
  numberStyle: NumberStyleSchema.default({ percentSpace: true, trimZeros: false, padCounts: false }),
  /**
   * Body text size (pt): Decree 30, Appendix I allows 13 or 14 for the body and its headings; the
   * frame (header, title, addressee, signature) keeps its own sizes.
   */
  bodySizePt: z.union([z.literal(13), z.literal(14)]).default(14),
  /** Blank space above the signer's name, for signature and seal (cm). */
  signatureSpaceCm: z.number().min(1).max(6).default(3.5),
  sections: z.array(SectionSchema).min(1),
});

export type Indicator = z.infer<typeof IndicatorSchema>;
export type Ratio = z.infer<typeof RatioSchema>;
export type Column = z.infer<typeof ColumnSchema>;
export type Table = z.infer<typeof TableSchema>;
export type Narrative = z.infer<typeof NarrativeSchema>;
export type Block = z.infer<typeof BlockSchema>;
export type Rule = z.infer<typeof RuleSchema>;
export type Comparison = z.infer<typeof ComparisonSchema>;
export type NumberStyle = z.infer<typeof NumberStyleSchema>;
export type ReportTemplate = z.infer<typeof ReportTemplateSchema>;
export type ReportFact = z.infer<typeof ReportFactSchema>;
export type Role = z.infer<typeof RoleSchema>;
