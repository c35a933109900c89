import * as z from 'zod';
import { MAX_INTEGER, VN_INTEGER_PATTERN } from '../format';

/**
 * The structure of a submission, declared once. This zod schema is exported as
 * docs/submission-schema.json (shared/templates/submission-json-schema.ts), and the server checks the
 * structure by running that published document (structure.ts): what divisions read is what
 * is enforced. The template-dependent rules (which codes exist, who owns them, column types,
 * totals, warnings) are checked on top of a structurally valid object (validator.ts).
 *
 * `null` means "not entered" wherever a value is optional.
 */

export const SUBMISSION_SCHEMA_VERSION = 1 as const;

export const MAX_ROWS = 500;
export const MAX_ITEMS = 300;
export const MAX_TEXT = 10_000;

/** Codes of indicators, tables, columns and narratives. */
const ID_PATTERN = '^[a-zA-Z][a-zA-Z0-9_]*$';
export const DIVISION_PATTERN = '^[A-Z0-9]{2,12}$';
export const PERIOD_PATTERN = '^\\d{4}-Q[1-4]$';

const Id = z.string().regex(new RegExp(ID_PATTERN));
const Integer = z.number().int().min(0).max(MAX_INTEGER);
const Text = z.string().max(MAX_TEXT);
const IntegerInput = z.union([Integer, z.string().regex(new RegExp(VN_INTEGER_PATTERN, 'u')), z.null()]);
const CellInput = z.union([Text, Integer, z.null()]);
const NarrativeInput = z.union([z.array(Text).max(MAX_ITEMS), Text, z.null()]);

/** The submission as a file or form may send it. Exported as JSON Schema. */
export const SubmissionInputSchema = z
  .object({
    schemaVersion: z.literal(SUBMISSION_SCHEMA_VERSION).describe('Phiên bản định dạng, luôn là 1.'),
    templateId: z.string().describe('Mã mẫu báo cáo, ví dụ "cchc".'),
    division: z.string().regex(new RegExp(DIVISION_PATTERN)).describe('Mã phòng, đơn vị, ví dụ "VP".'),
    period: z.string().regex(new RegExp(PERIOD_PATTERN)).describe('Quý báo cáo, ví dụ "2021-Q1".'),
    indicators: z
      .record(Id, IntegerInput)
      .nullable()
      .optional()
      .describe(
        'Số liệu theo mã chỉ tiêu: số nguyên không âm (tối đa 15 chữ số), có thể viết "16.075" hoặc "16 075"; null hoặc chuỗi rỗng là chưa nhập.',
      ),
    tables: z
      .record(Id, z.array(z.record(Id, CellInput)).max(MAX_ROWS))
      .nullable()
      .optional()
      .describe(
        'Các bảng theo mã bảng: mỗi dòng là một đối tượng {mã cột: giá trị}, giá trị là văn bản, số nguyên không âm hoặc null. Không nhập cột tỷ lệ và cột STT.',
      ),
    narratives: z
      .record(Id, NarrativeInput)
      .nullable()
      .optional()
      .describe(
        'Nội dung báo cáo theo mã mục: danh sách đoạn (mỗi phần tử là một gạch đầu dòng hoặc một đoạn), hoặc một chuỗi là một đoạn duy nhất.',
      ),
    confirmations: z
      .record(z.string(), Text.nullable())
      .nullable()
      .optional()
      .describe('Giải trình cho cảnh báo theo mã quy tắc, ví dụ {"outlier.hoSoTiepNhan": "Số hồ sơ tăng do …"}.'),
  })
  .strict()
  .meta({ title: 'Số liệu báo cáo của một phòng, đơn vị trong một quý', $id: 'https://baocao.example/submission.schema.json' });

/** A normalized submission: numbers parsed, text NFC and trimmed, empty items dropped. */
export const SubmissionSchema = z.object({
  schemaVersion: z.literal(SUBMISSION_SCHEMA_VERSION),
  templateId: z.string(),
  division: z.string(),
  period: z.string().regex(new RegExp(PERIOD_PATTERN)),
  indicators: z.record(z.string(), Integer),
  tables: z.record(z.string(), z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()])))),
  narratives: z.record(z.string(), z.array(z.string())),
  confirmations: z.record(z.string(), z.string()).optional(),
});

export type SubmissionInput = z.input<typeof SubmissionInputSchema>;
export type Submission = z.infer<typeof SubmissionSchema>;
export type Row = Record<string, string | number | null>;
