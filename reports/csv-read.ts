/**
 * Reading back the CSVs kubesim writes (RFC 4180: quoted fields may hold commas, doubled quotes
 * and newlines), for `merge`, the aggregates and the report. Streaming: records come out as the
 * file is read, so reading a large timeseries.csv keeps memory flat.
 */
import { createReadStream } from 'node:fs';

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/** An incremental RFC 4180 parser: feed chunks, collect whole records. */
export class CsvParser {
  private field = '';
  private record: string[] = [];
  private quoted = false;
  /** Inside quotes, a quote was just seen: either the closing quote or the first of a doubled pair. */
  private quotePending = false;
  private fieldStarted = false;

  // Runs of ordinary characters are copied as slices, not one character at a time: the
  // aggregates and `merge` read every row of timeseries.csv, and per-character string
  // concatenation made the reading mostly garbage collection.
  push(chunk: string, out: string[][]): void {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (this.quoted) {
        if (this.quotePending) {
          this.quotePending = false;
          if (chunk.charCodeAt(i) === QUOTE) {
            this.field += '"';
            i++;
            continue;
          }
          this.quoted = false; // the quote closed the field; the character at i is read unquoted
          continue;
        }
        const q = chunk.indexOf('"', i);
        if (q < 0) {
          this.field += chunk.slice(i);
          return;
        }
        this.field += chunk.slice(i, q);
        this.quotePending = true;
        i = q + 1;
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (c === QUOTE && !this.fieldStarted) {
        this.quoted = true;
        this.fieldStarted = true;
        i++;
      } else if (c === COMMA) {
        this.endField();
        i++;
      } else if (c === LF) {
        this.endField();
        out.push(this.record);
        this.record = [];
        i++;
      } else if (c === CR) {
        i++; // dropped outside quotes
      } else {
        // Up to the next delimiter; quotes inside an unquoted field are literal.
        let j = i + 1;
        while (j < n) {
          const d = chunk.charCodeAt(j);
          if (d === COMMA || d === LF || d === CR) break;
          j++;
        }
        this.field = this.fieldStarted ? this.field + chunk.slice(i, j) : chunk.slice(i, j);
        this.fieldStarted = true;
        i = j;
      }
    }
  }

  /** Flushes a last record without a final newline. */
  end(out: string[][]): void {
    if (this.quotePending) this.quoted = false;
    if (this.fieldStarted || this.record.length > 0) {
      this.endField();
      out.push(this.record);
      this.record = [];
    }
  }

  private endField(): void {
    this.record.push(this.field);
    this.field = '';
    this.fieldStarted = false;
  }
}

export function parseCsv(text: string): string[][] {
  const parser = new CsvParser();
  const out: string[][] = [];
  parser.push(text, out);
  parser.end(out);
  return out;
}

/** The records of a CSV file, header first. */
export async function* readCsvRecords(file: string): AsyncGenerator<string[]> {
  for await (const batch of readCsvBatches(file)) yield* batch;
}

/**
 * The records of a CSV file, header first, in batches (those completed by each 64 KiB chunk):
 * for readers of large files, one await per chunk instead of one per record.
 */
export async function* readCsvBatches(file: string): AsyncGenerator<string[][]> {
  const parser = new CsvParser();
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 })) {
    const out: string[][] = [];
    parser.push(chunk as string, out);
    if (out.length > 0) yield out;
  }
  const out: string[][] = [];
  parser.end(out);
  if (out.length > 0) yield out;
}

/** Records as objects keyed by the header's column names. */
export async function* readCsvRows(file: string): AsyncGenerator<Record<string, string>> {
  let header: string[] | undefined;
  for await (const record of readCsvRecords(file)) {
    if (!header) {
      header = record;
      continue;
    }
    const row: Record<string, string> = {};
    header.forEach((column, i) => {
      row[column] = record[i] ?? '';
    });
    yield row;
  }
}
