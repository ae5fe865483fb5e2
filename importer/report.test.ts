import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Counts, csvCell, formatProgress, formatSummary, ReportSink, type ImportSummary } from './report';
import { csvFolder } from './test-helpers';

describe('report', () => {
  it('quotes CSV cells only when needed', () => {
    expect(csvCell('a')).toBe('a');
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell(null)).toBe('');
  });

  it('writes errors and notices to the CSV report', async () => {
    const file = path.join(csvFolder({}), 'sub', 'r.csv');
    const sink = new ReportSink({ csvPath: file });
    await sink.reject({
      file: 'Item.csv',
      line: 7,
      column: 'Barcode (Barcodes)',
      reason: 'duplicate barcode "1", really',
      entity: 'item',
      company: 'Official',
    });
    await sink.notice({ file: 'Item.csv', line: 9, column: null, reason: 'rounded', entity: 'item', company: null });
    await sink.close();
    expect(readFileSync(file, 'utf8')).toBe(
      'file,line,column,entity,company,severity,reason\n' +
        'Item.csv,7,Barcode (Barcodes),item,Official,error,"duplicate barcode ""1"", really"\n' +
        'Item.csv,9,,item,,notice,rounded\n',
    );
    expect([sink.rejections, sink.notices]).toEqual([1, 1]);
  });

  it('formats progress with rate and ETA', () => {
    const line = formatProgress({ file: '/x/Item.csv', bytesDone: 250, bytesTotal: 1000, rows: 5000, elapsedMs: 2000 }, 8);
    expect(line).toBe('[##------]  25%  5,000 rows  2,500 rows/s  ETA 0:06  Item.csv');
  });

  it('formats the summary table', () => {
    const counts = new Counts();
    counts.add('customer', '(all)', 'created', 3);
    counts.add('item', 'Official', 'unchanged', 2);
    counts.add('item', 'Official', 'rejected');
    const s: ImportSummary = {
      runId: null,
      dryRun: true,
      startedAt: '',
      finishedAt: '',
      elapsedMs: 1500,
      rows: 10,
      files: [
        { file: 'Item.csv', entity: 'item', layout: 'current', rows: 9 },
        { file: 'x.xlsx', entity: null, layout: null, rows: 0, error: 'spreadsheet files are not read' },
      ],
      counts: counts.list(),
      rejections: 1,
      notices: 0,
      reportFile: 'r.csv',
    };
    const text = formatSummary(s);
    expect(text).toContain('dry run');
    expect(text).toContain('x.xlsx: refused: spreadsheet files are not read');
    expect(text).toMatch(/Item\s+Official\s+0\s+0\s+2\s+1\s+0/);
    expect(text.indexOf('Item ')).toBeLessThan(text.indexOf('Customer'));
  });
});
