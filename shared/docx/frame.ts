/**
 * The fixed frame of the document: national header with number and place-date line, the draft
 * mark, "Nơi nhận" with the signature block (KT., TL., TM. or signing directly), page setup.
 */
import {
  AlignmentType,
  BorderStyle,
  Footer,
  Header,
  type ISectionOptions,
  PageNumber,
  PageOrientation,
  type Paragraph,
  Table,
  TableBorders,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { DocumentModel, SignatureBlock } from '../document/model';
import { A4, centred, FONT, MARGIN, NO_BORDER, PORTRAIT_WIDTH, PT, para, RED, rule, run } from './styles';

const HEADER_LEFT = 3572; // 63 mm
const HEADER_RIGHT = PORTRAIT_WIDTH - HEADER_LEFT;

function borderlessCell(children: Paragraph[], width: number): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    margins: { top: 0, bottom: 0, left: 0, right: 0 },
    borders: { top: NO_BORDER, bottom: NO_BORDER, left: NO_BORDER, right: NO_BORDER },
    children,
  });
}

function borderlessTable(rows: Paragraph[][][], widths: number[]): Table {
  return new Table({
    rows: rows.map((cells) => new TableRow({ cantSplit: true, children: cells.map((c, i) => borderlessCell(c, widths[i])) })),
    width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: TableBorders.NONE,
  });
}

export function nationalHeader(header: DocumentModel['header']): Table {
  const { numberLine, dateLine } = header;
  const left = [
    centred(header.parentBody.toLocaleUpperCase('vi-VN'), { size: PT(13) }),
    centred(header.agency.toLocaleUpperCase('vi-VN'), { size: PT(13), bold: true }),
    rule(1134, HEADER_LEFT, 60),
  ];
  const right = [
    centred('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { size: PT(13), bold: true }),
    centred('Độc lập - Tự do - Hạnh phúc', { size: PT(14), bold: true }),
    rule(3600, HEADER_RIGHT, 60),
  ];
  return borderlessTable(
    [
      [left, right],
      [[centred(numberLine, { size: PT(13), before: 80 })], [centred(dateLine, { size: PT(14), italics: true, before: 80 })]],
    ],
    [HEADER_LEFT, HEADER_RIGHT],
  );
}

export { signatureLines } from '../document/build';

/** "Nơi nhận" on the left, the signature on the right with its blank for signature and seal. */
export function signatureBlock(sig: SignatureBlock): Table {
  const items = sig.recipients;
  const left = [
    para([run('Nơi nhận:', { size: PT(12), bold: true, italics: true })], { align: AlignmentType.LEFT, size: PT(12) }),
    ...items.map((t) => para([run(t, { size: PT(11) })], { align: AlignmentType.LEFT, size: PT(11) })),
  ];
  const { signer, spaceCm } = sig;
  const right = [
    ...sig.lines.map((l) => centred(l, { bold: true })),
    // Room for signature and seal, one exact-height line; kept when the name is left for the signer to write.
    para([], { align: AlignmentType.CENTER, line: Math.round(spaceCm * 567), lineRule: 'exact' }),
    ...(signer ? [centred(signer, { bold: true })] : []),
  ];
  const leftWidth = 4252; // 75 mm
  return borderlessTable([[left, right]], [leftWidth, PORTRAIT_WIDTH - leftWidth]);
}

export function draftMark(version: number): Paragraph {
  return para(
    [
      run('DỰ THẢO', { size: PT(13), bold: true, color: RED, border: { style: BorderStyle.SINGLE, size: 12, color: RED, space: 2 } }),
      run(`  Dự thảo lần ${version}`, { size: PT(12), italics: true, color: RED }),
    ],
    { align: AlignmentType.LEFT, size: PT(13), after: 120 },
  );
}

/** Draft only: "Lưu ý: số liệu còn thiếu …", red italic under the DỰ THẢO mark. */
export function gapBanner(note: string): Paragraph {
  return para([run(`Lưu ý: ${note}`, { size: PT(12), italics: true, color: RED })], {
    align: AlignmentType.LEFT,
    size: PT(12),
    after: 120,
  });
}

/** Page setup of one flow segment: A4, page numbers in the header from page 2, draft footer. */
export function pageSection(
  seg: { landscape: boolean; children: ISectionOptions['children'] },
  index: number,
  draftVersion: number | null,
): ISectionOptions {
  const pageNumberHeader = new Header({
    children: [
      para([new TextRun({ children: [PageNumber.CURRENT], font: FONT, size: PT(13) })], {
        align: AlignmentType.CENTER,
        size: PT(13),
      }),
    ],
  });
  const footer =
    draftVersion !== null
      ? new Footer({
          children: [
            para([run(`Dự thảo lần ${draftVersion} - không phải văn bản ban hành`, { size: PT(10), italics: true, color: '7F7F7F' })], {
              align: AlignmentType.CENTER,
              size: PT(10),
            }),
          ],
        })
      : undefined;
  const first = index === 0;
  return {
    properties: {
      // Decree 30: no page number on page 1; the first-page header is left empty.
      titlePage: first,
      page: {
        size: {
          width: A4.width,
          height: A4.height,
          orientation: seg.landscape ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT,
        },
        margin: MARGIN,
      },
    },
    headers: first
      ? { default: pageNumberHeader, first: new Header({ children: [para([], { size: PT(13) })] }) }
      : { default: pageNumberHeader },
    footers: footer ? (first ? { default: footer, first: footer } : { default: footer }) : undefined,
    children: seg.children,
  };
}
