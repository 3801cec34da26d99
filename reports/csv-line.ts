/**
 * One CSV record as a line, formatted exactly as csv-stringify 6 formats an array record with its
 * defaults and `record_delimiter: 'unix'` (delimiter `,`, quote and escape `"`, no BOM, no
 * formula escaping): a field is quoted when it holds a quote, a comma or `\n`, and its quotes are
 * doubled; an empty field stays empty (not `""`); the line ends with `\n`. A lone `\r` does not
 * quote: with an explicit record delimiter csv-stringify sets `quote_record_delimiter` false and
 * quotes only on the delimiter itself.
 *
 * Why not csv-stringify itself: the run writers format every row of every run, and a Transform
 * stream per table costs per row a record copy, a cast per field, an options merge and two stream
 * hops (measured ~9% of a worker's time on book-lab, plus the JIT warm-up of that machinery in
 * every worker thread). test/reports/csv-line.test.ts checks the equivalence field by field
 * against csv-stringify, on adversarial strings.
 */

/** Characters that force quoting: `"` (34), `,` (44), `\n` (10). */
function needsQuotes(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 44 || c === 34 || c === 10) return true;
  }
  return false;
}

export function csvField(value: string): string {
  // csv-stringify writes null and undefined as empty fields; the types exclude them, JS callers may not.
  if (value === undefined || value === null) return '';
  if (value === '' || !needsQuotes(value)) return value;
  return `"${value.replaceAll('"', '""')}"`;
}

/** The record's fields, comma-separated, quoted where needed, with the final `\n`. */
export function csvLine(fields: readonly string[]): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) line += ',';
    line += csvField(fields[i]!);
  }
  return line + '\n';
}
