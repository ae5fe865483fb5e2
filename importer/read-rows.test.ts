import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRows, sniffDelimiter } from './read-rows';
import { csvFolder } from './test-helpers';

async function rows(text: string) {
  const dir = csvFolder({ 'a.csv': text });
  const out = [];
  for await (const r of readRows(path.join(dir, 'a.csv'))) out.push(r);
  return out;
}

describe('readRows', () => {
  it('gives the physical line where each row starts, across quoted line breaks, CRLF and blank lines', async () => {
    const r = await rows('\ufeffa,b\r\n1,"x\r\ny\r\nz"\r\n\r\n2,3\r\n"4",5');
    expect(r.map((x) => [x.line, x.cells])).toEqual([
      [1, ['a', 'b']],
      [2, ['1', 'x\r\ny\r\nz']],
      [5, ['']],
      [6, ['2', '3']],
      [7, ['4', '5']],
    ]);
  });

  it('handles LF files and rows of different lengths', async () => {
    const r = await rows('a,b,c\n1\n"q\nr",2,3,4\n');
    expect(r.map((x) => x.line)).toEqual([1, 2, 3]);
    expect(r[2]!.cells).toEqual(['q\nr', '2', '3', '4']);
  });

  it('sniffs ; and tab delimiters from the header', async () => {
    expect(sniffDelimiter('Item Code;Item Name;"a,b"')).toBe(';');
    expect(sniffDelimiter('a\tb\tc')).toBe('\t');
    expect(sniffDelimiter('"x;y",b,c')).toBe(',');
    const r = await rows('Item Code;Rate\nA;"1,50"\n');
    expect(r[1]!.cells).toEqual(['A', '1,50']);
  });

  it('reports bytes read and streams a large file', async () => {
    const dir = csvFolder({});
    const file = path.join(dir, 'big.csv');
    // CRLF with a two-line quoted cell every 7th row: line numbers must survive every chunk boundary.
    let text = 'a,b\r\n';
    const expected: number[] = [1];
    let line = 2;
    for (let i = 0; i < 100_000; i++) {
      expected.push(line);
      if (i % 7 === 0) {
        text += `${i},"x\r\ny"\r\n`;
        line += 2;
      } else {
        text += `${i},2\r\n`;
        line += 1;
      }
    }
    writeFileSync(file, text);
    let bytes = 0;
    const lines: number[] = [];
    for await (const r of readRows(file, { onBytes: (b) => (bytes = b) })) lines.push(r.line);
    expect(lines).toEqual(expected);
    expect(bytes).toBe(Buffer.byteLength(text));
  });
});
