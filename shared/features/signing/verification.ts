import { AppError } from '../../errors';
import { vnDateTime } from '../../format/vietnam-time';
import type { SignatureSummary } from '../../ports';
import type { VerifiedSignature } from '../../signing/ports';
import { SIGNATURE_INVALID_ERROR } from './ports';

/** A PDF whose signatures do not all verify: never released (HTTP 409 on the văn thư's page). */
export class SignatureInvalidError extends AppError {
  override name = SIGNATURE_INVALID_ERROR;
  constructor(message: string) {
    super(message, 409);
  }
}

/** Why one signature fails, in Vietnamese; undefined when it is valid. */
export function signatureProblem(s: VerifiedSignature): string | undefined {
  if (s.intact && s.coversRevision && s.trusted) return undefined;
  if (s.problems?.length) return `chữ ký của ${s.signerName}: ${s.problems.join('; ')}`;
  if (!s.intact) return `chữ ký của ${s.signerName} không còn nguyên vẹn (tệp đã bị thay đổi sau khi ký)`;
  if (!s.coversRevision) return `chữ ký của ${s.signerName} không phủ toàn bộ tệp tại lần ký`;
  if (!s.trusted) return `chứng thư của ${s.signerName} (${s.issuer}) không thuộc tổ chức chứng thực được tin cậy`;
  return undefined;
}

/** Every signature intact, covering its revision and trusted, and exactly `count` of them. */
export function assertAllValid(signatures: VerifiedSignature[], count: number): void {
  if (signatures.length !== count) {
    throw new SignatureInvalidError(`Tệp PDF có ${signatures.length} chữ ký số, cần đúng ${count}. Văn bản không được phát hành.`);
  }
  const problems = signatures.map(signatureProblem).filter((p): p is string => !!p);
  if (problems.length) throw new SignatureInvalidError(`Chữ ký số không hợp lệ: ${problems.join('; ')}. Văn bản không được phát hành.`);
}

export function summary(s: VerifiedSignature): SignatureSummary {
  return {
    signerName: s.signerName,
    organization: s.organization,
    issuer: s.issuer,
    serialNumber: s.serialNumber,
    signedAt: s.signedAt,
    testOnly: s.testOnly,
  };
}

/** One line per signature for pages: who, which certificate, when, intact or not. */
export function describeSignature(s: VerifiedSignature | SignatureSummary) {
  const v = s as Partial<VerifiedSignature>;
  return {
    who: s.organization ? `${s.signerName} — ${s.organization}` : s.signerName,
    certificate: `số sê-ri ${s.serialNumber}, do ${s.issuer} cấp`,
    when: vnDateTime(s.signedAt),
    state:
      v.intact === undefined
        ? undefined
        : v.intact && v.coversRevision && v.trusted
          ? 'hợp lệ'
          : (signatureProblem(v as VerifiedSignature) ?? ''),
    testOnly: s.testOnly,
  };
}

/** What a test-CA signature must say wherever it is shown. */
export const TEST_ONLY_NOTE = 'ký thử nghiệm – không có giá trị pháp lý';
