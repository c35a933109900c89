/**
 * The approver's comment, checked before anything changes (issue 10 §3): bounded length, NFC,
 * no invisible-only text, no bidirectional overrides that make a comment read differently from
 * what it stores.
 */

/** Longest comment kept: a page of text; the decision item stays far below DynamoDB's 400 KB. */
export const MAX_COMMENT_CHARS = 4000;

// Zero-width and BOM characters: stripped (they carry nothing a reader sees).
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
// Bidi embeddings, overrides and isolates: refused (they reorder what the reader sees).
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;
/** Control characters other than tab and line breaks. */
function hasControl(text: string): boolean {
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return true;
  }
  return false;
}

export type CommentCheck = { ok: true; comment?: string } | { ok: false; status: 400; message: string };

export function checkComment(raw: string | undefined, decision: 'approve' | 'return'): CommentCheck {
  const text = (raw ?? '').normalize('NFC');
  if (text.length > MAX_COMMENT_CHARS) {
    return {
      ok: false,
      status: 400,
      message: `Ý kiến quá dài: ${text.length.toLocaleString('vi-VN')} ký tự, tối đa ${MAX_COMMENT_CHARS.toLocaleString('vi-VN')} ký tự. Chưa có thay đổi nào; đồng chí rút gọn ý kiến rồi gửi lại bằng chính liên kết này.`,
    };
  }
  if (BIDI.test(text) || hasControl(text)) {
    return {
      ok: false,
      status: 400,
      message:
        'Ý kiến chứa ký tự điều khiển ẩn (đảo chiều văn bản hoặc ký tự điều khiển). Chưa có thay đổi nào; đồng chí gõ lại ý kiến rồi gửi lại.',
    };
  }
  const comment = text.replace(INVISIBLE, '').replace(/\r\n?/g, '\n').trim();
  if (decision === 'return' && !comment) {
    return { ok: false, status: 400, message: 'Khi trả lại dự thảo, đồng chí cần ghi ý kiến (ô "Ý kiến"). Chưa có thay đổi nào.' };
  }
  return { ok: true, comment: comment || undefined };
}
