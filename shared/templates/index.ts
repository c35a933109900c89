import { type ReportTemplate, ReportTemplateSchema } from '../domain/template';
import cchc from './cchc.json' with { type: 'json' };

/** Templates bundled with the code, parsed (defaults applied) on first use and cached. */
const RAW: Record<string, unknown> = { cchc };
const cache = new Map<string, ReportTemplate>();

export class TemplateNotFoundError extends Error {
  override readonly name = 'TemplateNotFoundError';
}

export function templateIds(): string[] {
  return Object.keys(RAW);
}

export function getTemplate(id: string): ReportTemplate {
  const hit = cache.get(id);
  if (hit) return hit;
  if (!Object.hasOwn(RAW, id)) {
    throw new TemplateNotFoundError(`Không có mẫu báo cáo "${id}". Các mẫu hiện có: ${templateIds().join(', ')}.`);
  }
  const result = ReportTemplateSchema.safeParse(RAW[id]);
  if (!result.success) {
    const where = result.error.issues.map((i) => `${i.path.join('.') || '(gốc)'}: ${i.message}`).join('; ');
    throw new Error(`Mẫu báo cáo "${id}" không hợp lệ — ${where}`);
  }
  cache.set(id, result.data);
  return result.data;
}
