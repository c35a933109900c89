import type ExcelJS from 'exceljs';

/**
 * exceljs's Workbook alone, loaded on first use. `import 'exceljs'` also loads the streaming
 * reader and writer (unzipper, archiver, bluebird and their polyfills, about 400 kB of a bundle)
 * that nothing here uses: `Workbook.xlsx.load` / `writeBuffer` work on JSZip. A deep import,
 * checked by the .xlsx tests (intake-xlsx, xlsx-figures, docx-exports); see ADR 0046.
 */
export async function loadWorkbook(): Promise<typeof ExcelJS.Workbook> {
  return (await import('exceljs/lib/doc/workbook.js')).default;
}
