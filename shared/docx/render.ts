/**
 * Renders the document model as the official Vietnamese document (.docx) laid out per
 * Decree 30/2020/NĐ-CP, Appendix I: A4, Times New Roman, national header, numbered sections,
 * tables, "Nơi nhận" and signature block. Pure: no I/O besides building the buffer.
 * What prints is decided by the builder (shared/document/build.ts); frame: frame.ts;
 * paragraphs: body.ts; tables: table-xml.ts; styles and builders: styles.ts.
 */

import { randomBytes } from 'node:crypto';
import { Document, Packer, type Paragraph, type Table } from 'docx';
import { buildDocument } from '../document/build';
import type { RenderInput } from '../document/input';
import { type Block, bodySizeOf, type DocumentModel } from '../document/model';
import { type PendingTable, paragraphNode, placeholder, spliceTables } from './body';
import { draftMark, gapBanner, nationalHeader, pageSection, signatureBlock } from './frame';
import { BODY_SIZE, cellStyle, centred, FONT, FONT_NAME, PORTRAIT_WIDTH, PT, para, paragraphStyles, rule } from './styles';
import { tableBlockXml } from './table-xml';

export type { ApprovalRecord, RenderInput } from '../document/input';
export { headingText } from './body';
export { type ReportFileNameInput, reportFileName } from './file-name';

interface Segment {
  landscape: boolean;
  children: Array<Paragraph | Table>;
}

/** Consecutive items of the same orientation share a section; newPage starts another (an appendix). */
class Flow {
  readonly segments: Segment[] = [{ landscape: false, children: [] }];
  add(item: Paragraph | Table, landscape = false, newPage = false) {
    let last = this.segments[this.segments.length - 1];
    if (last.landscape !== landscape || newPage) {
      last = { landscape, children: [] };
      this.segments.push(last);
    }
    last.children.push(item);
  }
}

/** Template + report + organization → .docx, through the one document model. */
export async function renderReport(input: RenderInput): Promise<Buffer> {
  return renderDocx(buildDocument(input));
}

export async function renderDocx(model: DocumentModel): Promise<Buffer> {
  const flow = new Flow();
  const pending: PendingTable[] = [];
  const nonce = randomBytes(6).toString('hex');
  const draft = model.mode === 'draft' ? model.draft : undefined;
  if (draft) flow.add(draftMark(draft.version));
  // Issue 12: the gap banner exists in drafts only, never in the released document.
  if (draft?.gapNote) flow.add(gapBanner(draft.gapNote));

  flow.add(nationalHeader(model.header));
  flow.add(centred(model.title.kind, { bold: true, before: 360, keepNext: true }));
  flow.add(centred(model.title.subject, { bold: true, keepNext: true }));
  flow.add(rule(1701, PORTRAIT_WIDTH, 80));
  flow.add(centred(model.addressee, { before: 240, after: 240 }));

  const addBlock = (block: Block, landscape: boolean) => {
    if (block.kind === 'paragraph') {
      flow.add(paragraphNode(block), landscape);
      return;
    }
    const marker = `baocao-table-${nonce}-${pending.length}`;
    pending.push({ marker, xml: tableBlockXml(block, { cellStyle, font: FONT_NAME }) });
    flow.add(placeholder(marker), landscape);
  };
  for (const { block, landscape } of model.body) addBlock(block, landscape);

  flow.add(para([], { size: PT(6), keepNext: true }));
  flow.add(signatureBlock(model.signature));

  // Appendices: each on pages of its own (a section), its label, title and note centred above it.
  for (const annex of model.annexes ?? []) {
    flow.add(centred(annex.label, { bold: true, keepNext: true }), annex.landscape, true);
    flow.add(centred(annex.title, { bold: true, keepNext: true }), annex.landscape);
    flow.add(centred(annex.note, { italics: true, after: 240, keepNext: true }), annex.landscape);
    for (const block of annex.blocks) addBlock(block, annex.landscape);
  }

  const doc = new Document({
    creator: model.properties.creator,
    title: model.properties.title,
    description: model.properties.description,
    customProperties: model.properties.custom,
    styles: {
      default: {
        document: {
          run: { font: FONT, size: BODY_SIZE },
          paragraph: { spacing: { before: 0, after: 0 } },
        },
      },
      paragraphStyles: paragraphStyles(
        PT(bodySizeOf(model)),
        [...model.body.map((p) => p.block), ...(model.annexes ?? []).flatMap((a) => a.blocks)].flatMap((block) =>
          block.kind === 'table' ? [PT(block.fontSizePt)] : [],
        ),
      ),
    },
    sections: flow.segments.map((seg, index) => pageSection(seg, index, draft ? draft.version : null)),
  });
  return spliceTables(await Packer.toBuffer(doc), pending);
}
