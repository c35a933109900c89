import { duplicateKeyMessage, firstDuplicateKey } from '../../format/json-duplicate-keys';

/**
 * Turns an uploaded JSON file's bytes into a value, naming the real cause when it cannot:
 * a UTF-8 BOM (Notepad, Excel "CSV UTF-8") is dropped, UTF-16 with a BOM is decoded, and any
 * other encoding is refused as such rather than as a misplaced comma. A key written twice in one
 * object is refused (JSON.parse would keep the last silently).
 */
export type JsonUpload = { ok: true; value: unknown } | { ok: false; rule: 'file.encoding' | 'file.json'; message: string };

const NOT_UTF8 =
  'Tệp phải mã hóa UTF-8; tệp này dùng bảng mã khác (có thể là UTF-16 hoặc bảng mã cũ như TCVN3, VNI). Hãy lưu lại với bảng mã UTF-8.';
const NOT_JSON = 'Tệp không phải JSON hợp lệ; hãy kiểm tra dấu ngoặc và dấu phẩy.';

function decodeText(buf: Uint8Array): string | undefined {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
  else if (buf[0] === 0xff && buf[1] === 0xfe) return decodeStrict('utf-16le', buf.subarray(2));
  else if (buf[0] === 0xfe && buf[1] === 0xff) return decodeStrict('utf-16be', buf.subarray(2));
  // UTF-16 without a BOM: JSON text starts with ASCII, so every other byte is zero.
  if (buf.length >= 2 && (buf[0] === 0 || buf[1] === 0)) return undefined;
  return decodeStrict('utf-8', buf);
}

function decodeStrict(encoding: string, buf: Uint8Array): string | undefined {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(buf);
  } catch {
    return undefined;
  }
}

export function decodeJsonUpload(buf: Uint8Array): JsonUpload {
  const text = decodeText(buf);
  if (text === undefined) return { ok: false, rule: 'file.encoding', message: NOT_UTF8 };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, rule: 'file.json', message: NOT_JSON };
  }
  const duplicate = firstDuplicateKey(text);
  if (duplicate !== undefined) return { ok: false, rule: 'file.json', message: duplicateKeyMessage(duplicate) };
  return { ok: true, value };
}
