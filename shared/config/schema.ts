import { z } from 'zod';

/** Configuration of one organization (agency), kept as data and validated at load. */
const Email = z.string().email();

export const ContactSchema = z.object({
  name: z.string().min(1),
  email: Email,
});

export const DivisionSchema = z.object({
  /** Short stable id used in S3 keys and DynamoDB keys, e.g. "VP". */
  id: z.string().regex(/^[A-Z0-9]{2,12}$/),
  name: z.string().min(1),
  contacts: z.array(ContactSchema).min(1),
});

export const ApprovalStepSchema = z
  .object({
    /** Role title shown in emails and history, e.g. "Chánh Văn phòng". */
    role: z.string().min(1),
    /** Any one of these may decide the step. */
    approvers: z.array(ContactSchema).min(1),
    /** Time the approver has, in working days (Mon–Fri, Vietnam time) … */
    deadlineWorkingDays: z.number().int().positive().optional(),
    /** … or in plain hours (used when no working days are given). */
    deadlineHours: z.number().int().positive().optional(),
    /** A reminder goes out this long before the deadline (halved if the deadline is shorter). */
    remindHoursBefore: z.number().positive().default(24),
    /** At the deadline the step escalates to these (default: the next step's approvers, or the compiler). */
    deputies: z.array(ContactSchema).default([]),
    /** How long the escalated step waits before the run times out. */
    escalationHours: z.number().positive().default(24),
  })
  .refine((s) => s.deadlineWorkingDays !== undefined || s.deadlineHours !== undefined, {
    message: 'Cần khai báo thời hạn: deadlineWorkingDays hoặc deadlineHours.',
    path: ['deadlineWorkingDays'],
  });

export const RecipientSchema = z.object({
  /** Text of the "Nơi nhận" line, without the leading "- " and trailing ";". */
  label: z.string().min(1),
  /** Addresses that get the release email (optional: "Như trên" has none). */
  emails: z.array(Email).default([]),
});

export const OrganizationSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  /** Parent body, caps, e.g. "UBND TỈNH ĐỒNG NAI". */
  parentBody: z.string().min(1),
  /** Agency, caps, e.g. "SỞ CÔNG THƯƠNG". */
  agency: z.string().min(1),
  /** Agency name in running text, e.g. "Sở Công Thương". */
  agencyName: z.string().min(1),
  /** Document code after the number, e.g. "BC-SCT" in "Số: 05/BC-SCT". */
  documentCode: z.string().min(1),
  /** Place in the place–date line, e.g. "Đồng Nai". */
  place: z.string().min(1),
  /** "Kính gửi" addressee. */
  addressee: z.string().min(1),
  divisions: z.array(DivisionSchema).min(1),
  compiler: ContactSchema,
  /** Default approval chain, in order. */
  approvalChain: z.array(ApprovalStepSchema).min(1),
  /** Chains for particular report types (template id → chain), overriding the default. */
  approvalChains: z.record(z.string(), z.array(ApprovalStepSchema).min(1)).default({}),
  signature: z.object({
    authority: z.string().min(1), // "KT. GIÁM ĐỐC"
    title: z.string().min(1), // "PHÓ GIÁM ĐỐC"
    signer: z.string().min(1), // "Nguyễn Trí Phương"
  }),
  recipients: z.array(RecipientSchema).min(1),
  /** Last line of "Nơi nhận", e.g. "Lưu: VT, VP (Khoa)". */
  archive: z.string().min(1),
  /** Sender address of every email. */
  mailFrom: Email,
});

export type Contact = z.infer<typeof ContactSchema>;
export type Division = z.infer<typeof DivisionSchema>;
export type ApprovalStep = z.infer<typeof ApprovalStepSchema>;
export type Organization = z.infer<typeof OrganizationSchema>;

/** The approval chain of a report type. */
export function chainFor(org: Organization, templateId: string): ApprovalStep[] {
  return org.approvalChains[templateId] ?? org.approvalChain;
}

export function parseOrganization(data: unknown): Organization {
  const result = OrganizationSchema.safeParse(data);
  if (!result.success) {
    const where = result.error.issues.map((i) => `${i.path.join('.') || '(gốc)'}: ${i.message}`).join('; ');
    throw new Error(`Cấu hình tổ chức không hợp lệ — ${where}`);
  }
  return result.data;
}
