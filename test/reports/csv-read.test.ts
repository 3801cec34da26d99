/** Reading back kubesim's CSVs: whatever csv-stringify writes parses back to the same cells. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';
import { CsvParser, parseCsv, readCsvRecords } from '../../reports/csv-read.js';
import { tempDir } from '../parallel/sweep-helpers.js';

test('quotes, commas and newlines inside fields', () => {
  assert.deepEqual(parseCsv('a,b,c\n1,"x, ""y""\nz",\n'), [
    ['a', 'b', 'c'],
    ['1', 'x, "y"\nz', ''],
  ]);
});

test('round trip through csv-stringify, whatever the cells and the chunking (property)', () => {
  const cell = fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', ' ', 'é', '1') });
  fc.assert(
    fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 7 }), (records, chunk) => {
      // A lone empty cell would be an empty line; csv-stringify quotes nothing there, so keep 2 columns.
      const text = stringify(records, { record_delimiter: 'unix' });
      const parser = new CsvParser();
      const out: string[][] = [];
      for (let i = 0; i < text.length; i += chunk) parser.push(text.slice(i, i + chunk), out);
      parser.end(out);
      assert.deepEqual(out, records);
    }),
  );
});

test('streams a file', async () => {
  const file = join(tempDir('csv'), 'x.csv');
  writeFileSync(file, 'h1,h2\n1,2\n"3\n",4');
  const records: string[][] = [];
  for await (const r of readCsvRecords(file)) records.push(r);
  assert.deepEqual(records, [['h1', 'h2'], ['1', '2'], ['3\n', '4']]);
});

/** The parser as first written, one character at a time: the reference for the sliced one. */
function referenceParse(chunks: string[]): string[][] {
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let quotePending = false;
  let fieldStarted = false;
  const out: string[][] = [];
  const endField = () => {
    record.push(field);
    field = '';
    fieldStarted = false;
  };
  for (const chunk of chunks) {
    for (const c of chunk.split('')) {
      if (quoted) {
        if (quotePending) {
          quotePending = false;
          if (c === '"') {
            field += '"';
            continue;
          }
          quoted = false;
        } else if (c === '"') {
          quotePending = true;
          continue;
        } else {
          field += c;
          continue;
        }
      }
      if (c === '"' && !fieldStarted) {
        quoted = true;
        fieldStarted = true;
      } else if (c === ',') endField();
      else if (c === '\n') {
        endField();
        out.push(record);
        record = [];
      } else if (c !== '\r') {
        field += c;
        fieldStarted = true;
      }
    }
  }
  if (quotePending) quoted = false;
  if (fieldStarted || record.length > 0) {
    endField();
    out.push(record);
  }
  return out;
}

test('any text, malformed included, in any chunking: the same records as the character-by-character parser (property)', () => {
  const text = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', 'é') , maxLength: 80 });
  fc.assert(
    fc.property(text, fc.array(fc.nat(80), { maxLength: 6 }), (t, cuts) => {
      const points = [...new Set(cuts.map((c) => Math.min(c, t.length)))].sort((a, b) => a - b);
      const chunks: string[] = [];
      let from = 0;
      for (const p of points) {
        chunks.push(t.slice(from, p));
        from = p;
      }
      chunks.push(t.slice(from));
      const parser = new CsvParser();
      const out: string[][] = [];
      for (const c of chunks) parser.push(c, out);
      parser.end(out);
      assert.deepEqual(out, referenceParse(chunks));
    }),
    { numRuns: 3000 },
  );
});
