/**
 * Reading back the CSVs kubesim writes (RFC 4180: quoted fields may hold commas, doubled quotes
 * and newlines), for `merge`, the aggregates and the report. Streaming: records come out as the
 * file is read, so reading a large timeseries.csv keeps memory flat.
 */
import { createReadStream } from 'node:fs';

/** An incremental RFC 4180 parser: feed chunks, collect whole records. */
export class CsvParser {
  private field = '';
  private record: string[] = [];
  private quoted = false;
  /** Inside quotes, a quote was just seen: either the closing quote or the first of a doubled pair. */
  private quotePending = false;
  private fieldStarted = false;

  push(chunk: string, out: string[][]): void {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (this.quoted) {
        if (this.quotePending) {
          this.quotePending = false;
          if (c === '"') {
            this.field += '"';
            continue;
          }
          this.quoted = false; // the quote closed the field; fall through to handle c
        } else if (c === '"') {
          this.quotePending = true;
          continue;
        } else {
          this.field += c;
          continue;
        }
      }
      if (c === '"' && !this.fieldStarted) {
        this.quoted = true;
        this.fieldStarted = true;
      } else if (c === ',') {
        this.endField();
      } else if (c === '\n') {
        this.endField();
        out.push(this.record);
        this.record = [];
      } else if (c !== '\r') {
        this.field += c;
        this.fieldStarted = true;
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
  const parser = new CsvParser();
  const out: string[][] = [];
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 })) {
    parser.push(chunk as string, out);
    yield* out;
    out.length = 0;
  }
  parser.end(out);
  yield* out;
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
