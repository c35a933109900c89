/**
 * Element ids of the generated form, shared by the page and the browser script: an Issue's
 * field path ("tables.thanhTraKiemTra[0].thoiGian") maps to its input and to the slot where its
 * message is shown, so errors land next to the field they name.
 */
const safe = (field: string) => field.replace(/[^A-Za-z0-9]/g, '_');
export const inputId = (field: string) => `f_${safe(field)}`;
export const errorId = (field: string) => `e_${safe(field)}`;
export const helpId = (field: string) => `h_${safe(field)}`;
export const confirmId = (rule: string) => `c_${safe(rule)}`;

/** Configuration the page hands to the browser script (JSON in a script element). */
export interface FormConfig {
  secret: string;
  periodId: string;
  divisionId: string;
  /** The validation template without its document sections. */
  template: unknown;
  /** Divisions (id, name) for validation messages; no contacts. */
  organization: unknown;
  model: import('../form-model').FormModel;
  prefill?: {
    indicators: Record<string, number>;
    tables: Record<string, Array<Record<string, unknown>>>;
    narratives: Record<string, string[]>;
  };
  history: unknown[];
  draftKey: string;
}
