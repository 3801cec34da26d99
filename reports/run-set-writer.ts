/**
 * The CSV files of a sweep (replications, variants, shards), assembled from per-run parts in run
 * order. Each part is a folder holding the timeseries/events/totals files one run wrote (header
 * included, as `CsvOutputs` writes them); appending a part copies its rows after the header, so
 * the result does not depend on which thread or machine wrote which part, nor when.
 *
 * A part is appended whole before the next one starts, so the files are valid CSV after every
 * append, and an interrupted sweep leaves complete rows of complete runs. Copying goes through
 * 64 KiB chunks: memory stays flat whatever the size of a run.
 */
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { CSV_FILES } from './csv-outputs.js';
import { writeSummaryCsv, type SummaryRow } from './summary-csv.js';

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
  ) {}

  static async create(dir: string): Promise<RunSetWriter> {
    const files = new Map<StreamedTable, FileHandle>();
    for (const table of STREAMED_TABLES) {
      const handle = await open(join(dir, CSV_FILES[table].file), 'w');
      await writeAll(handle, Buffer.from(headerLine(table)));
      files.set(table, handle);
    }
    return new RunSetWriter(dir, files);
  }

  /** Appends the rows of one part folder (or of a whole shard's output folder). */
  async appendPart(partDir: string): Promise<void> {
    for (const table of STREAMED_TABLES) {
      await appendBody(this.files.get(table)!, join(partDir, CSV_FILES[table].file), headerLine(table));
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

async function appendBody(target: FileHandle, file: string, header: string): Promise<void> {
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
  for await (const chunk of createReadStream(file, { start: headerBytes, highWaterMark: 1 << 16 })) {
    await writeAll(target, chunk as Buffer);
  }
}

/** FileHandle.write may write fewer bytes than asked; loop until the chunk is out. */
async function writeAll(target: FileHandle, data: Buffer): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await target.write(data, offset, data.length - offset);
    offset += bytesWritten;
  }
}
