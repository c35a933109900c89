import { describe, expect, it } from 'vitest';
import { tableXml } from '../../shared/docx/table-xml';
import { TableSchema } from '../../shared/domain/template';

const def = TableSchema.parse({
  id: 'dvc',
  label: 'Dịch vụ công',
  owners: ['VP'],
  totalLabel: 'Tổng số',
  columns: [
    { id: 'stt', label: 'STT', type: 'integer' },
    { id: 'ten', label: 'Tên thủ tục', type: 'text' },
    { id: 'tiepNhan', label: 'Tổng số hồ sơ', type: 'integer', sum: true },
  ],
});
const options = { width: 9000, size: 24, cellStyle: () => 'Cell', font: 'Times New Roman' };
const texts = (xml: string) => [...xml.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]);

describe('table total row', () => {
  it('prints the label once, merged over STT and the name, when aggregation put it in the name column', () => {
    const xml = tableXml(
      def,
      { id: 'dvc', rows: [{ stt: 1, ten: 'Công Thương', tiepNhan: 16075 }], total: { stt: null, ten: 'Tổng số', tiepNhan: 16075 } },
      options,
    );
    const totalRow = xml.slice(xml.lastIndexOf('<w:tr>'));
    expect(texts(totalRow)).toEqual(['Tổng số', '16.075']);
    expect(totalRow).toContain('<w:gridSpan w:val="2"/>');
  });

  it('keeps a text column that has a total of its own', () => {
    const xml = tableXml(
      def,
      { id: 'dvc', rows: [{ stt: 1, ten: 'A', tiepNhan: 1 }], total: { stt: null, ten: '04', tiepNhan: 1 } },
      options,
    );
    expect(texts(xml.slice(xml.lastIndexOf('<w:tr>')))).toEqual(['Tổng số', '04', '1']);
  });
});
