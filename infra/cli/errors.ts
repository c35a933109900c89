/**
 * One Vietnamese line for any error the CLI meets outside the API's own answers: a missing or
 * unreadable file, a system that cannot be reached, a connection cut mid-way. Node's and undici's
 * English messages stay out of sight (the code is kept at the end for whoever has to dig).
 */
import { ApiError } from './client';

interface SystemError {
  code?: string;
  path?: string;
  hostname?: string;
  cause?: unknown;
  name?: string;
  message?: string;
}

const FILE_CODES: Record<string, (path: string) => string> = {
  ENOENT: (p) => `Không tìm thấy tệp hoặc thư mục "${p}"; hãy kiểm tra lại đường dẫn.`,
  EACCES: (p) => `Không có quyền đọc/ghi tệp "${p}".`,
  EPERM: (p) => `Không có quyền đọc/ghi tệp "${p}".`,
  EISDIR: (p) => `"${p}" là một thư mục, không phải tệp.`,
  ENOTDIR: (p) => `Đường dẫn "${p}" không hợp lệ: một phần của nó không phải thư mục.`,
  ENOSPC: (p) => `Ổ đĩa đã đầy, không ghi được tệp "${p}".`,
};

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'Không kết nối được hệ thống. Hãy chạy "npm start" hoặc chỉ định --api.',
  ENOTFOUND: 'Không tìm thấy máy chủ của hệ thống; hãy kiểm tra địa chỉ --api hoặc biến BAOCAO_API.',
  EAI_AGAIN: 'Không phân giải được tên máy chủ (lỗi DNS tạm thời); hãy kiểm tra mạng rồi thử lại.',
  ECONNRESET: 'Kết nối tới hệ thống bị ngắt giữa chừng; hãy thử lại.',
  EPIPE: 'Kết nối tới hệ thống bị ngắt giữa chừng; hãy thử lại.',
  ETIMEDOUT: 'Hệ thống không trả lời kịp thời; hãy kiểm tra mạng rồi thử lại.',
  UND_ERR_CONNECT_TIMEOUT: 'Hệ thống không trả lời kịp thời; hãy kiểm tra mạng rồi thử lại.',
  UND_ERR_HEADERS_TIMEOUT: 'Hệ thống không trả lời kịp thời; hãy thử lại sau.',
  UND_ERR_SOCKET: 'Kết nối tới hệ thống bị ngắt giữa chừng; hãy thử lại.',
  EHOSTUNREACH: 'Không tới được máy chủ của hệ thống; hãy kiểm tra mạng.',
  ENETUNREACH: 'Không tới được máy chủ của hệ thống; hãy kiểm tra mạng.',
};

function asSystemError(err: unknown): SystemError | undefined {
  return err !== null && typeof err === 'object' ? (err as SystemError) : undefined;
}

/** The error, or the first cause in its chain (fetch wraps the socket error), that carries a known code. */
function knownCode(err: unknown): SystemError | undefined {
  for (let e = asSystemError(err), depth = 0; e && depth < 5; e = asSystemError(e.cause), depth++) {
    if (e.code && (e.code in FILE_CODES || e.code in NETWORK_CODES)) return e;
  }
  return undefined;
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

export function describeCliError(err: unknown): string {
  if (err instanceof ApiError) return oneLine(`Lỗi: ${err.message}`);
  const known = knownCode(err);
  if (known?.code && known.code in FILE_CODES) return oneLine(`Lỗi: ${FILE_CODES[known.code](known.path ?? '')} (${known.code})`);
  if (known?.code) return oneLine(`Lỗi: ${NETWORK_CODES[known.code]} (${known.code})`);
  const e = asSystemError(err);
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'Lỗi: Hệ thống không trả lời kịp thời; hãy thử lại sau.';
  if (err instanceof TypeError && err.message === 'fetch failed')
    return 'Lỗi: Không kết nối được hệ thống; hãy kiểm tra địa chỉ --api và mạng.';
  if (err instanceof SyntaxError) return 'Lỗi: Hệ thống trả về dữ liệu không đọc được (không phải JSON hợp lệ).';
  const detail = e?.message ? ` (${e.code ?? e.name ?? 'Error'}: ${e.message})` : '';
  return oneLine(`Lỗi ngoài dự kiến; hãy thử lại hoặc báo cho người quản trị${detail}.`);
}
