/**
 * The submission contract: what one division submits for one quarter, and the rules it must
 * pass. The modules under ./submission/ hold it: schema.ts (the structure, declared once with
 * zod and published as docs/submission-schema.json), structure.ts (the server runs that
 * published document), messages.ts (its violations in Vietnamese), validator.ts and rules.ts
 * (the template's rules on a structurally valid submission), formats.ts (dates, document refs).
 */
export { isDateRangeVi, isDateVi, isDocRef } from './submission/formats';
export {
  type Row,
  SUBMISSION_SCHEMA_VERSION,
  type Submission,
  type SubmissionInput,
  SubmissionInputSchema,
  SubmissionSchema,
} from './submission/schema';
export type { Issue, ValidationContext, ValidationResult } from './submission/types';
export { validateSubmission } from './submission/validator';
