import * as z from 'zod';
import { zodIssuesVi } from './messages';

/** Configuration of one organization (agency), kept as data and validated at load. */
const Email = z.string().email();
const Text = z.string().trim().min(1);

export const ContactSchema = z.object({
  name: Text,
  email: Email,
});

/** An approver may be known by role only: the name is optional (emails then greet the role alone). */
export const ApproverSchema = z.object({
  name: z.string().trim().default(''),
  email: Email,
});

export const DivisionSchema = z.object({
  /** Short stable id used in S3 keys and DynamoDB keys, e.g. "VP". */
  id: z.string().regex(/^[A-Z0-9]{2,12}$/),
  name: Text,
  contacts: z.array(ContactSchema).min(1),
  /** Template roles this division answers for (e.g. "vanPhong"); see template.roles. */
  roles: z.array(z.string().min(1)).default([]),
});

export const ApprovalStepSchema = z
  .object({
    /** Role title shown in emails and history, e.g. "Chánh Văn phòng". */
    role: Text,
    /** Any one of these may decide the step. */
    approvers: z.array(ApproverSchema).min(1),
    /** Time the approver has, in working days (Mon–Fri, Vietnam time) … */
    deadlineWorkingDays: z.number().int().positive().optional(),
    /** … or in plain hours (used when no working days are given). */
    deadlineHours: z.number().int().positive().optional(),
    /** A reminder goes out this long before the deadline (halved if the deadline is shorter). */
    remindHoursBefore: z.number().positive().default(24),
    /** At the deadline the step escalates to these (default: the next step's approvers, or the compiler). */
    deputies: z.array(ApproverSchema).default([]),
    /** How long the escalated step waits before the run times out. */
    escalationHours: z.number().positive().default(24),
  })
  .refine((s) => s.deadlineWorkingDays !== undefined || s.deadlineHours !== undefined, {
    message: 'Cần khai báo thời hạn: deadlineWorkingDays hoặc deadlineHours.',
    path: ['deadlineWorkingDays'],
  });

export const RecipientSchema = z.object({
  /** Text of the "Nơi nhận" line, without the leading "- " and trailing ";". */
  label: Text,
  /** Addresses that get the release email (optional: "Như trên" has none). */
  emails: z.array(Email).default([]),
});

/**
 * Signature block (Decree 30, Appendix I, part I.8): who signs and on whose behalf.
 * - "KT" (ký thay, a deputy for the head):  "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC"
 * - "TL" (thừa lệnh):                        "TL. GIÁM ĐỐC" / "CHÁNH VĂN PHÒNG"
 * - "TM" (thay mặt a collective body):      "TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH"
 * - "direct" (the head signs):              "GIÁM ĐỐC"
 * The signer's name is optional (printed when known). The earlier form
 * { authority: "KT. GIÁM ĐỐC", title, signer } is still read.
 */
export const SignatureSchema = z.preprocess(
  (raw) => {
    if (!raw || typeof raw !== 'object' || 'kind' in raw) return raw;
    const r = raw as Record<string, unknown>;
    const m = typeof r.authority === 'string' ? /^\s*(KT|TL|TM)\.\s*(.*)$/i.exec(r.authority) : null;
    return m ? { ...r, kind: m[1].toUpperCase(), authority: m[2] } : { ...r, kind: r.authority ? 'KT' : 'direct' };
  },
  z
    .object({
      kind: z.enum(['KT', 'TL', 'TM', 'direct']),
      /** The head (or body) signed for, without the prefix: "GIÁM ĐỐC", "ỦY BAN NHÂN DÂN". Not used when signing directly. */
      authority: z.string().trim().optional(),
      /** The signer's own title: "PHÓ GIÁM ĐỐC", or "GIÁM ĐỐC" when signing directly. */
      title: Text,
      signer: z.string().trim().optional(),
    })
    .refine((s) => s.kind === 'direct' || !!s.authority, {
      message: 'Ký thay (KT), thừa lệnh (TL) hoặc thay mặt (TM) cần ghi người đứng đầu/tập thể được ký thay (authority), ví dụ "GIÁM ĐỐC".',
      path: ['authority'],
    }),
);

/**
 * Numbering by the organization's outgoing register (Decree 30: one sequence per organization and
 * year from 01 on 1 January). `auto`: the system assigns the next free number at release.
 * `clerk`: the release emails the clerk of records (văn thư, `recordsClerk`) a single-use link to
 * enter the number and issue date. `nextNumber` continues a year whose first numbers were issued
 * outside the system (e.g. { year: 2021, number: 2015 } after 2014/BC-SCT).
 */
export const NumberingSchema = z.object({
  mode: z.enum(['auto', 'clerk']).default('auto'),
  nextNumber: z
    .object({
      year: z.number().int().min(2000).max(2100),
      number: z.number().int().positive(),
    })
    .optional(),
});

/**
 * Which signing provider holds a key (issue 16): only references, never a private key.
 * - local: the local test CA under .baocao/ (npm start, demo, tests); `confirm` waits for the
 *   person to confirm on the local stand-in for their phone (/_local/sign/<tx>), `auto` signs at once;
 * - kms: an AWS KMS asymmetric key (test, staging, integrity seal), its certificate chain as base64 DER;
 * - remote: a Vietnamese CA's remote-signing service (Cloud Signature Consortium shape): base URL,
 *   credential id, and the name of the secret that holds the client credentials.
 */
export const SigningProviderSchema = z.discriminatedUnion('provider', [
  z.object({ provider: z.literal('local'), mode: z.enum(['auto', 'confirm']).default('confirm') }),
  // The chain inline (base64 DER), or stored as signing material (`chain`, `baocao org signing put-chain`).
  z.object({ provider: z.literal('kms'), keyId: Text, certificateChain: z.array(Text).default([]) }),
  z.object({ provider: z.literal('remote'), baseUrl: z.string().url(), credentialId: Text, secretName: Text }),
]);

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * Signing material stored as an object of the organization (encrypted, keys built by the adapter):
 * the document keeps only its fingerprint, so an object changed behind its back is refused.
 */
export const SigningImageRefSchema = z.object({
  sha256: Sha256,
  bytes: z.number().int().positive(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  uploadedAt: z.string(),
  uploadedBy: z.string(),
});
export const SigningChainRefSchema = z.object({
  sha256: Sha256,
  subject: z.string(),
  issuer: z.string(),
  notAfter: z.string(),
  uploadedAt: z.string(),
  uploadedBy: z.string(),
});

/**
 * The signed original (Decree 30: the competent person's digital signature, then the
 * organization's, applied by the văn thư). Absent: reports are released unsigned (.docx only).
 */
/** A competent person who signs: their key's provider and their stored signature image (and chain). */
export const SignerSchema = z.object({
  /** Stable id of the person's key at the provider, e.g. "giam-doc". */
  id: z.string().regex(/^[a-z0-9-]{2,40}$/),
  name: Text,
  email: Email,
  provider: SigningProviderSchema,
  /** The person's signature image (blue PNG), stored with `baocao org signing put-image --person`. */
  image: SigningImageRefSchema.optional(),
  /** The person's certificate chain for a provider that keeps none (KMS). */
  chain: SigningChainRefSchema.optional(),
});

export const SigningSchema = z.object({
  /** The competent person who signs (their device confirms each signature). */
  signer: SignerSchema,
  /**
   * Another competent person for particular report types (template id → signer), e.g. the deputy
   * who signs the quarterly KSTT report while the director signs the annual one. Pair it with
   * `signaturesByType` so the signature block names the same person.
   */
  signersByType: z.record(z.string(), SignerSchema).default({}),
  /** The organization's certificate (its seal), applied by the văn thư (`recordsClerk`). */
  organization: z.object({
    provider: SigningProviderSchema,
    /** The seal image (red PNG), stored with `baocao org signing put-image --seal`. */
    seal: SigningImageRefSchema.optional(),
    chain: SigningChainRefSchema.optional(),
  }),
  /** Hours the văn thư has before the compiler is told; the wait ends after twice as long. */
  sealHours: z.number().positive().default(24),
  /** Root certificates (base64 DER) a signature must chain to; the local test CA's root is added on the local system. */
  trustedRoots: z.array(Text).default([]),
});

/** What recipients get with the release. */
export const ReleaseOptionsSchema = z.object({
  /** Also attach the editable .docx link beside the signed PDF (default: the signed PDF only when the organization signs). */
  attachDocx: z.boolean().default(false),
});

/** Standard organization fields a template may print as {org:field}. */
export const ORG_FIELDS = [
  'parentBody',
  'agency',
  'agencyName',
  'shortName',
  'place',
  'province',
  'sector',
  'website',
  'documentCode',
] as const;

const OrganizationFields = z.object({
  /** Stable id, part of every storage key and URL of the organization: "so-cong-thuong-dong-nai". */
  id: z.string().regex(/^[a-z0-9-]{2,40}$/),
  /** Parent body, caps, e.g. "UBND TỈNH ĐỒNG NAI". */
  parentBody: Text,
  /** Agency, caps, e.g. "SỞ CÔNG THƯƠNG". */
  agency: Text,
  /** Agency name in running text, e.g. "Sở Công Thương". */
  agencyName: Text,
  /** Short name, e.g. "SCT" (default: none). */
  shortName: z.string().trim().optional(),
  /** Document code after the number, e.g. "BC-SCT" in "Số: 05/BC-SCT". */
  documentCode: Text,
  /** Place in the place–date line, e.g. "Đồng Nai". */
  place: Text,
  /** Province in running text, e.g. "tỉnh Đồng Nai". */
  province: z.string().trim().optional(),
  /** Sector in running text, e.g. "công thương". */
  sector: z.string().trim().optional(),
  /** Web portal address, e.g. "https://sct.dongnai.gov.vn". */
  website: z.string().trim().optional(),
  /** Further texts templates ask for (template.organizationTexts), e.g. { "broadcaster": "Đài …" }. */
  texts: z.record(z.string(), z.string()).default({}),
  /** "Kính gửi" addressee. */
  addressee: Text,
  divisions: z.array(DivisionSchema).min(1),
  /** Explicit owners of template items (item id → division ids), overriding the roles. */
  itemOwners: z.record(z.string(), z.array(z.string()).min(1)).default({}),
  /**
   * The organization's own order keys for a narrative (narrative id → keys), replacing the
   * template's: items that name this organization's documents ("Ban hành Quyết định số 118/QĐ-…")
   * are ordered by keys only the organization can write.
   */
  itemOrder: z.record(z.string(), z.array(z.string().min(1))).default({}),
  /** The compiler (earlier form: one); `compilers` lists every compiler who may sign in and act. */
  compiler: ContactSchema.optional(),
  compilers: z.array(ContactSchema).default([]),
  /** Report types (template ids) the organization compiles; each is checked against its divisions on load. */
  reportTypes: z
    .array(z.string().regex(/^[a-z0-9-]+$/))
    .min(1)
    .default(['cchc']),
  /** Default approval chain, in order. */
  approvalChain: z.array(ApprovalStepSchema).min(1),
  /** Chains for particular report types (template id → chain), overriding the default. */
  approvalChains: z.record(z.string(), z.array(ApprovalStepSchema).min(1)).default({}),
  signature: SignatureSchema,
  /** Signature blocks for particular report types (template id → block), overriding `signature`. */
  signaturesByType: z.record(z.string(), SignatureSchema).default({}),
  recipients: z.array(RecipientSchema).min(1),
  /** Last line of "Nơi nhận", e.g. "Lưu: VT, VP (Khoa)". */
  archive: Text,
  /** Sender address of every email. */
  mailFrom: Email,
  /** How document numbers are given (default: the system assigns them). */
  numbering: NumberingSchema.default({ mode: 'auto' }),
  /** The clerk of records (văn thư): enters document numbers in `clerk` numbering mode and applies the organization's signature. */
  recordsClerk: ContactSchema.optional(),
  /** The signed original (issue 16); absent: released unsigned. */
  signing: SigningSchema.optional(),
  release: ReleaseOptionsSchema.default({ attachDocx: false }),
});

/** The organization document; `compiler` is always the first compiler (older documents name only `compiler`). */
export const OrganizationSchema = OrganizationFields.refine((o) => o.compiler !== undefined || o.compilers.length > 0, {
  message: 'Cần khai báo ít nhất một người tổng hợp (compilers).',
  path: ['compilers'],
}).transform((o) => {
  const compilers = o.compilers.length ? o.compilers : o.compiler ? [o.compiler] : [];
  return { ...o, compiler: o.compiler ?? compilers[0], compilers };
});

export type Contact = z.infer<typeof ContactSchema>;
export type Division = z.infer<typeof DivisionSchema>;
export type ApprovalStep = z.infer<typeof ApprovalStepSchema>;
export type Signature = z.infer<typeof SignatureSchema>;
export type Organization = z.infer<typeof OrganizationSchema>;

/** The approval chain of a report type. */
export function chainFor(org: Organization, templateId: string): ApprovalStep[] {
  return org.approvalChains[templateId] ?? org.approvalChain;
}

export function parseOrganization(data: unknown): Organization {
  const result = OrganizationSchema.safeParse(data);
  if (!result.success) throw new Error(`Cấu hình tổ chức không hợp lệ — ${zodIssuesVi(result.error.issues, FIELD_LABELS).join('; ')}`);
  if (result.data.signing && !result.data.recordsClerk) {
    throw new Error('Cấu hình tổ chức không hợp lệ — Văn thư (recordsClerk): ký số văn bản (signing) cần văn thư để ký số của cơ quan.');
  }
  if (result.data.numbering.mode === 'clerk' && !result.data.recordsClerk) {
    throw new Error(
      'Cấu hình tổ chức không hợp lệ — Văn thư (recordsClerk): chế độ cấp số "clerk" cần khai báo họ tên và email của văn thư.',
    );
  }
  return result.data;
}

/** Vietnamese names of the configuration fields, for messages ("Chức vụ người ký (signature.title)"). */
export const FIELD_LABELS: Record<string, string> = {
  id: 'Mã tổ chức',
  parentBody: 'Cơ quan chủ quản',
  agency: 'Tên cơ quan (in hoa)',
  agencyName: 'Tên cơ quan',
  documentCode: 'Ký hiệu văn bản',
  place: 'Địa danh',
  addressee: 'Nơi được kính gửi',
  divisions: 'Danh sách phòng, đơn vị',
  'divisions.*.id': 'Mã phòng, đơn vị',
  'divisions.*.name': 'Tên phòng, đơn vị',
  'divisions.*.contacts': 'Người liên hệ của phòng, đơn vị',
  compiler: 'Người tổng hợp',
  'compiler.name': 'Tên người tổng hợp',
  'compiler.email': 'Email người tổng hợp',
  compilers: 'Những người tổng hợp',
  'compilers.*.name': 'Tên người tổng hợp',
  'compilers.*.email': 'Email người tổng hợp',
  reportTypes: 'Loại báo cáo',
  itemOrder: 'Thứ tự riêng của các mục (theo văn bản của cơ quan)',
  itemOwners: 'Phòng, đơn vị trả lời từng mục',
  texts: 'Các đoạn văn bản riêng của tổ chức',
  shortName: 'Tên viết tắt',
  province: 'Tỉnh (trong văn bản)',
  sector: 'Lĩnh vực',
  website: 'Cổng thông tin điện tử',
  'divisions.*.roles': 'Vai trò của phòng, đơn vị',
  approvalChains: 'Quy trình phê duyệt theo loại báo cáo',
  'approvalChain.*.deadlineWorkingDays': 'Thời hạn (ngày làm việc)',
  'approvalChain.*.deadlineHours': 'Thời hạn (giờ)',
  'approvalChain.*.deputies': 'Người được chuyển khi quá hạn',
  'recipients.*.emails': 'Email nơi nhận',
  approvalChain: 'Quy trình phê duyệt',
  'approvalChain.*.role': 'Chức danh bước phê duyệt',
  'approvalChain.*.approvers': 'Người phê duyệt',
  'approvalChain.*.approvers.*.email': 'Email người phê duyệt',
  signature: 'Khối chữ ký',
  signaturesByType: 'Khối chữ ký theo loại báo cáo',
  'signing.signersByType': 'Người ký theo loại báo cáo',
  'signature.kind': 'Hình thức ký (KT, TL, TM, direct)',
  'signature.authority': 'Người đứng đầu được ký thay',
  'signature.title': 'Chức vụ người ký',
  'signature.signer': 'Họ tên người ký',
  recipients: 'Nơi nhận',
  'recipients.*.label': 'Dòng nơi nhận',
  archive: 'Dòng lưu',
  mailFrom: 'Địa chỉ gửi email',
  numbering: 'Cách cấp số văn bản',
  'numbering.mode': 'Chế độ cấp số (auto, clerk)',
  'numbering.nextNumber.year': 'Năm của số tiếp theo',
  'numbering.nextNumber.number': 'Số văn bản tiếp theo',
  recordsClerk: 'Văn thư',
  'recordsClerk.name': 'Họ tên văn thư',
  'recordsClerk.email': 'Email văn thư',
  signing: 'Ký số văn bản',
  'signing.signer': 'Người có thẩm quyền ký',
  'signing.signer.id': 'Mã khóa của người ký',
  'signing.signer.name': 'Họ tên người ký số',
  'signing.signer.email': 'Email người ký số',
  'signing.signer.provider': 'Dịch vụ ký số của người ký',
  'signing.signer.provider.provider': 'Loại dịch vụ ký số của người ký (local, kms, remote)',
  'signing.organization': 'Chữ ký số của cơ quan',
  'signing.organization.provider': 'Dịch vụ ký số của cơ quan',
  'signing.organization.provider.provider': 'Loại dịch vụ ký số của cơ quan (local, kms, remote)',
  'signing.signer.image': 'Ảnh chữ ký của người ký',
  'signing.signer.chain': 'Chuỗi chứng thư số của người ký',
  'signing.organization.seal': 'Ảnh con dấu của cơ quan',
  'signing.organization.chain': 'Chuỗi chứng thư số của cơ quan',
  'signing.sealHours': 'Thời hạn văn thư ký số (giờ)',
  'signing.trustedRoots': 'Chứng thư gốc tin cậy',
  release: 'Cách gửi văn bản ban hành',
  'release.attachDocx': 'Gửi kèm tệp .docx',
};
