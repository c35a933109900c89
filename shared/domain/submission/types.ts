import type { Organization } from '../../config/schema';
import type { Submission } from './schema';

export interface Issue {
  /** Path of the field, e.g. "indicators.hoSoTiepNhan", "tables.dichVuCongTrucTuyen[0].tiepNhan". */
  field: string;
  /** Vietnamese label as the form shows it. */
  label: string;
  /** Vietnamese; names the field(s) and says what was expected. */
  message: string;
  /** Rule id, e.g. "schema.integer", "hoSoTrucTuyenCongTrucTiep", "outlier.hoSoTiepNhan". */
  rule: string;
  severity: 'error' | 'warning';
  /** Every field the rule involves, when more than one. */
  fields?: string[];
  /** For a warning: the comment in confirmations[rule] that settles it. */
  confirmation?: string;
}

export interface ValidationResult {
  ok: boolean;
  /** The normalized submission, present when ok. */
  submission?: Submission;
  errors: Issue[];
  /** Warnings; those with `confirmation` are settled by a comment. */
  warnings: Issue[];
}

export interface ValidationContext {
  organization: Organization;
  /** The division the invite link is bound to. */
  expectedDivision?: string;
  /** The quarter the invite link is bound to. */
  expectedPeriod?: string;
  /** Earlier submissions of the same division (other entries are ignored). */
  history?: Submission[];
}
