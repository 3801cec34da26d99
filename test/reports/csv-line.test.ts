import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';
import { csvLine } from '../../reports/csv-line.js';

/** What CsvOutputs wrote before it formatted lines itself. */
function reference(fields: string[]): string {
  return stringify([fields], { record_delimiter: 'unix' });
}

test('csvLine formats like csv-stringify (defaults, unix record delimiter): fixed cases', () => {
  const cases = [
    ['a', 'b'],
    [''],
    ['', ''],
    ['a,b', 'c'],
    ['say "hi"', 'x'],
    ['line\nbreak', 'cr\rhere', 'crlf\r\n'],
    ['"'],
    [',', '\n', '\r', '""'],
    ['=1+2', '-3', '@x', '\tt', ' lead', 'trail '],
    ['ünïcödé', '日本', '😀,😀'],
  ];
  for (const fields of cases) assert.equal(csvLine(fields), reference(fields), JSON.stringify(fields));
});

test('csvLine formats like csv-stringify: any strings', () => {
  const field = fc.oneof(fc.string(), fc.constantFrom('', ',', '"', '\n', '\r', '\r\n', '""', 'a"b,c\nd'), fc.string({ unit: 'binary' }));
  fc.assert(
    fc.property(fc.array(field, { minLength: 1, maxLength: 9 }), (fields) => {
      assert.equal(csvLine(fields), reference(fields));
    }),
    { numRuns: 2000 },
  );
});

test('header lines match csv-stringify header output', () => {
  const columns = ['variant', 'run', 'seed', 'time_s', 'kind', 'namespace', 'name', 'metric', 'value'];
  assert.equal(csvLine(columns), stringify([], { header: true, columns, record_delimiter: 'unix' }));
});
