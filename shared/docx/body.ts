/**
 * The body of the .docx from the document model: paragraphs by role, tables as XML placeholders.
 * Every reading decision (what prints, in which order, with which emphasis) was taken by the
 * builder (shared/document/build.ts); this module only draws.
 */
import { Paragraph, TextRun } from 'docx';
import JSZip from 'jszip';
import type { ParagraphBlock } from '../document/model';
import { FONT, PT, para, S } from './styles';

export { headingText, textParagraphs } from '../document/body';

export function paragraphNode(p: ParagraphBlock): Paragraph {
  // Spacer: a 6 pt empty line after a table, kept on the table's page.
  if (p.role === 'spacer') return para([], { size: PT(6), after: 0, keepNext: p.keepWithNext });
  return new Paragraph({
    // Headings take the bold heading style (keep with next, keep lines); runs carry only their own emphasis.
    style: p.role === 'heading' ? S.heading : S.body,
    keepNext: p.keepWithNext || undefined,
    // Model text is clean already: no second cleanText over every run of a long report.
    children: p.runs.map((r) => new TextRun({ text: r.text, font: FONT, bold: r.bold || undefined, italics: r.italic || undefined })),
  });
}

// Data tables are written as XML by table-xml.ts and spliced in after packing; in the flow they
// are placeholder paragraphs carrying a per-render nonce, so no user text can collide with them.

export interface PendingTable {
  marker: string;
  xml: string;
}

export function placeholder(marker: string): Paragraph {
  return new Paragraph({ children: [new TextRun({ text: marker, font: FONT })] });
}

export async function spliceTables(buffer: Buffer, tables: PendingTable[]): Promise<Buffer> {
  if (tables.length === 0) return buffer;
  const zip = await JSZip.loadAsync(buffer);
  const file = zip.file('word/document.xml');
  if (!file) throw new Error('word/document.xml missing from the generated package');
  const xml = await file.async('string');
  const parts: string[] = [];
  let from = 0;
  // Markers appear in flow order, so one forward pass rebuilds the document.
  for (const t of tables) {
    const at = xml.indexOf(t.marker, from);
    const start = xml.lastIndexOf('<w:p>', at);
    const end = xml.indexOf('</w:p>', at);
    if (at < 0 || start < from || end < 0) throw new Error(`table placeholder not found: ${t.marker}`);
    parts.push(xml.slice(from, start), t.xml);
    from = end + '</w:p>'.length;
  }
  parts.push(xml.slice(from));
  zip.file('word/document.xml', parts.join(''));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}
