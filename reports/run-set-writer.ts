/**
 * The CSV files of a sweep (replications, variants, shards), assembled from per-run parts in run
 * order. Each part is a folder holding the timeseries/events/totals files one run wrote (header
 * included, as `CsvOutputs` writes them); appending a part copies its rows after the header, so
 * the result does not depend on which thread or machine wrote which part, nor when.
 *
 * A part is appended whole before the next one starts, so the files are valid CSV after every
 * append, and an interrupted sweep leaves complete rows of complete runs. Copying goes through
 * 1 MiB chunks: memory stays flat whatever the size of a run.
 *
 * With `aggregate`, the timeseries rows are also fed, as they are copied, to the running
 * statistics of timeseries-aggregate.csv: the sweep's main thread does that while the workers
 * run, instead of reading timeseries.csv back after the last run. The rows are parsed from the
 * very bytes appended, in file order, so the result is what reading the file gives.
 */
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { stringify } from 'csv-stringify/sync';
import { CSV_FILES } from './csv-outputs.js';
import { CsvParser } from './csv-read.js';
import { writeSummaryCsv, type SummaryRow } from './summary-csv.js';
import { TimeseriesAggregator } from './timeseries-aggregate.js';

const COPY_CHUNK = 1 << 20;

export interface RunSetWriterOptions {
  /** Compute the records of timeseries-aggregate.csv as parts are appended (see `timeseriesAggregate`). */
  aggregate?: boolean;
}

/** The tables that stream rows as runs go (summary.csv is written at the end). */
export const STREAMED_TABLES = ['timeseries', 'events', 'totals'] as const;
type StreamedTable = (typeof STREAMED_TABLES)[number];

export function headerLine(table: keyof typeof CSV_FILES): string {
  return stringify([], { header: true, columns: [...CSV_FILES[table].columns], record_delimiter: 'unix' });
}

export class RunSetWriter {
  private readonly summary: SummaryRow[] = [];
  private closed = false;

  private constructor(
    readonly dir: string,
    private readonly files: ReadonlyMap<StreamedTable, FileHandle>,
    private readonly aggregator: TimeseriesAggregator | undefined,
  ) {}

  static async create(dir: string, options: RunSetWriterOptions = {}): Promise<RunSetWriter> {
    const files = new Map<StreamedTable, FileHandle>();
    for (const table of STREAMED_TABLES) {
      const handle = await open(join(dir, CSV_FILES[table].file), 'w');
      await writeAll(handle, Buffer.from(headerLine(table)));
      files.set(table, handle);
    }
    return new RunSetWriter(dir, files, options.aggregate ? new TimeseriesAggregator() : undefined);
  }

  /** The records of timeseries-aggregate.csv for the parts appended so far (undefined without `aggregate`). */
  timeseriesAggregate(): string[][] | undefined {
    return this.aggregator?.records();
  }

  /** Appends the rows of one part folder (or of a whole shard's output folder). */
  async appendPart(partDir: string): Promise<void> {
    for (const table of STREAMED_TABLES) {
      const rows = table === 'timeseries' && this.aggregator ? rowSink(this.aggregator) : undefined;
      await appendBody(this.files.get(table)!, join(partDir, CSV_FILES[table].file), headerLine(table), rows);
    }
  }

  addSummary(row: SummaryRow): void {
    this.summary.push(row);
  }

  /** Closes the streamed files and writes summary.csv. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const handle of this.files.values()) await handle.close();
    writeSummaryCsv(this.dir, this.summary);
  }
}

/** Parses copied chunks (split anywhere, even inside a UTF-8 sequence) into rows for the aggregator. */
interface RowSink {
  chunk(data: Buffer): void;
  end(): void;
}

function rowSink(aggregator: TimeseriesAggregator): RowSink {
  const decoder = new StringDecoder('utf8');
  const parser = new CsvParser();
  const rows: string[][] = [];
  const drain = () => {
    for (const r of rows) aggregator.add(r);
    rows.length = 0;
  };
  return {
    chunk(data) {
      parser.push(decoder.write(data), rows);
      drain();
    },
    end() {
      parser.push(decoder.end(), rows);
      parser.end(rows);
      drain();
    },
  };
}

async function appendBody(target: FileHandle, file: string, header: string, rows?: RowSink): Promise<void> {
  const headerBytes = Buffer.byteLength(header);
  const source = await open(file, 'r');
  try {
    const head = Buffer.alloc(headerBytes);
    const { bytesRead } = await source.read(head, 0, headerBytes, 0);
    if (bytesRead !== headerBytes || head.toString('utf8') !== header) {
      throw new Error(`${file}: expected the header ${JSON.stringify(header.trim())}, found ${JSON.stringify(head.subarray(0, bytesRead).toString('utf8').split('\n')[0])}`);
    }
  } finally {
    await source.close();
  }
  for await (const chunk of createReadStream(file, { start: headerBytes, highWaterMark: COPY_CHUNK })) {
    await writeAll(target, chunk as Buffer);
    rows?.chunk(chunk as Buffer);
  }
  rows?.end();
}

/** FileHandle.write may write fewer bytes than asked; loop until the chunk is out. */
async function writeAll(target: FileHandle, data: Buffer): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await target.write(data, offset, data.length - offset);
    offset += bytesWritten;
  }
}
