import { padTwo } from '../format/vi';

export interface ReportFileNameInput {
  periodId: string;
  mode: 'draft' | 'final';
  version: number;
  number?: number;
  /** Issue year; added to a final name when it differs from the period's year (numbers restart each year). */
  year?: number;
  /** The report type (template id or slug), e.g. "cchc". */
  templateId: string;
  /** The organization's document code, e.g. "BC-SCT". */
  documentCode: string;
}

const slug = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');

/** "bao-cao-cchc-2021-du-thao-v1.docx", "bao-cao-cchc-2021-so-05-BC-SCT.docx". ASCII only, safe in S3 keys and headers. */
export function reportFileName(input: ReportFileNameInput): string {
  const base = `bao-cao-${slug(input.templateId).toLowerCase()}-${slug(input.periodId).toLowerCase()}`;
  if (input.mode === 'draft') return `${base}-du-thao-v${input.version}.docx`;
  if (input.number === undefined) throw new Error('Văn bản ban hành phải có số.');
  const periodYear = Number(/^\d{4}/.exec(input.periodId)?.[0]);
  const yearSuffix = input.year !== undefined && input.year !== periodYear ? `-${input.year}` : '';
  return `${base}-so-${padTwo(input.number)}-${slug(input.documentCode)}${yearSuffix}.docx`;
}
