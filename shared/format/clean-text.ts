/**
 * Text people type (names, narratives, reasons, comments) as it may be stored and shown:
 * NFC, without zero-width characters (U+200B–U+200D, U+2060, U+FEFF) and bidirectional
 * controls (U+202A–U+202E, U+2066–U+2069, which can make "exe.pdf" read as "fdp.exe"), trimmed.
 */
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
/** Nothing a reader could see: whitespace, controls, format characters. */
const BLANK = /^[\s\p{Cc}\p{Cf}\p{Zs}\u3164\u115F\u1160\uFFA0]*$/u;

export function stripInvisible(s: string): string {
  return s.normalize('NFC').replace(INVISIBLE, '').trim();
}

export type CleanText = { ok: true; text: string } | { ok: false; message: string };

/**
 * The cleaned text, or a Vietnamese refusal naming the field when nothing visible is left.
 * `optional`: an empty value is fine (text ''), only a value of invisible characters is refused.
 */
export function cleanUserText(s: string, opts: { field: string; optional?: boolean }): CleanText {
  const text = stripInvisible(s);
  if (!BLANK.test(text)) return { ok: true, text };
  if (opts.optional && s.trim() === '') return { ok: true, text: '' };
  return {
    ok: false,
    message:
      s.trim() === ''
        ? `Chưa nhập ${opts.field}.`
        : `${capitalize(opts.field)} phải có chữ nhìn thấy được; nội dung chỉ gồm ký tự ẩn hoặc ký tự điều khiển không được nhận.`,
  };
}

const capitalize = (s: string) => s.charAt(0).toLocaleUpperCase('vi') + s.slice(1);
