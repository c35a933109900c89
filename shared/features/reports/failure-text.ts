/**
 * What RecordFailure shows a user: a Vietnamese sentence saying what happened and what to do
 * next. Errors our code raises in Vietnamese (AppError and its kin) pass as they are; the state
 * machine's own and the services' English messages are replaced, and kept apart as `detail`.
 */
const VIETNAMESE = /[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]/i;

const KNOWN: Record<string, string> = {
  TransientError:
    'Dịch vụ lưu trữ tạm thời không phản hồi và hệ thống đã thử lại nhiều lần không được. Số liệu đã nộp không bị mất: hãy tổng hợp lại báo cáo sau ít phút; nếu vẫn lỗi, báo quản trị hệ thống.',
  'States.Timeout': 'Quá thời hạn phê duyệt. Hãy tổng hợp lại báo cáo để gửi phê duyệt lần mới.',
  'States.TaskFailed': 'Một bước xử lý báo cáo bị lỗi. Hãy tổng hợp lại báo cáo; nếu vẫn lỗi, gửi mã báo cáo cho quản trị hệ thống.',
  'States.Runtime': 'Quy trình xử lý báo cáo gặp lỗi cấu hình. Hãy báo quản trị hệ thống kèm mã báo cáo; số liệu đã nộp không bị mất.',
  RevisionTimedOut: 'Quá thời hạn tổng hợp lại sau khi báo cáo bị trả lại. Hãy tổng hợp báo cáo mới nếu vẫn cần ban hành.',
  NumberTimedOut:
    'Văn thư chưa cấp số văn bản trong thời hạn. Các ý kiến phê duyệt vẫn được giữ; hãy liên hệ văn thư và báo quản trị hệ thống để tiếp tục ban hành.',
  DeskTimedOut: 'Quá thời hạn biên tập: dự thảo chưa được gửi phê duyệt. Hãy tổng hợp báo cáo mới nếu vẫn cần ban hành.',
  Rejected: 'Báo cáo bị trả lại khi trình duyệt.',
  Abandoned: 'Văn phòng đã dừng báo cáo khi biên tập dự thảo.',
  SealTimedOut:
    'Văn thư chưa ký số của cơ quan trong thời hạn. Các ý kiến phê duyệt, số văn bản và chữ ký của người có thẩm quyền vẫn được giữ; hãy liên hệ văn thư rồi cho tiếp tục báo cáo.',
  SigningTimedOut:
    'Việc ký số không được tiếp tục trong thời hạn. Các ý kiến phê duyệt và số văn bản vẫn được giữ; hãy cho tiếp tục báo cáo để ký lại.',
};

const FALLBACK =
  'Hệ thống gặp lỗi không mong muốn khi xử lý báo cáo. Hãy tổng hợp lại báo cáo; nếu vẫn lỗi, gửi mã báo cáo cho quản trị hệ thống.';

/** Error names whose message is already written for users (shared/errors.ts). */
const USER_ERRORS = new Set(['AppError', 'ValidationError', 'NotFoundError', 'ConflictError', 'NumberTakenError']);

export function failureText(error: string, cause: string): { cause: string; detail?: string } {
  if (USER_ERRORS.has(error) && cause) return { cause };
  // The approver's or the compiler's own words.
  if ((error === 'Rejected' || error === 'Abandoned') && cause) return { cause };
  const known = KNOWN[error] ?? (error.startsWith('Lambda.') ? KNOWN['States.TaskFailed'] : undefined);
  if (known) return { cause: known, ...(cause && cause !== known ? { detail: cause } : {}) };
  if (cause && VIETNAMESE.test(cause)) return { cause };
  return { cause: FALLBACK, ...(cause ? { detail: `${error}: ${cause}` } : { detail: error }) };
}
