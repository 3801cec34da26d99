/**
 * The CSV files of a run folder, written as the run goes (lines formatted as csv-stringify does,
 * batched into file streams).
 *
 *   timeseries.csv  variant,run,seed,time_s,kind,namespace,name,metric,value
 *   events.csv      variant,run,time_s,type,reason,kind,namespace,name,message
 *   summary.csv     variant,run,seed,<named totals...>
 *   totals.csv      variant,run,kind,namespace,name,metric,value
 *
 * Rows are whole records when they reach the file, so a run interrupted at any point leaves
 * valid CSV behind. `drained()` resolves once every stream is below its buffer limit: callers
 * await it between sample intervals so memory does not grow with simulated duration.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { ClusterEvent, Observer } from '../engine/metrics/observer.js';
import { csvLine } from './csv-line.js';
import { formatNumber } from './format.js';
import { formatDuration } from '../engine/core/duration.js';

/** What `kubectl get` in the timeline and `--snapshot AT` print (not a CSV: kubectl's own tables). */
export const SNAPSHOTS_FILE = 'snapshots.txt';

export const CSV_FILES = {
  timeseries: { file: 'timeseries.csv', columns: ['variant', 'run', 'seed', 'time_s', 'kind', 'namespace', 'name', 'metric', 'value'] },
  events: { file: 'events.csv', columns: ['variant', 'run', 'time_s', 'type', 'reason', 'kind', 'namespace', 'name', 'message'] },
  totals: { file: 'totals.csv', columns: ['variant', 'run', 'kind', 'namespace', 'name', 'metric', 'value'] },
  summary: { file: 'summary.csv', columns: ['variant', 'run', 'seed'] },
} as const;

type Table = keyof typeof CSV_FILES;

interface Output {
  file: WriteStream;
  /** Whole lines not yet handed to the file: one write per batch, not per row. */
  pending: string;
  finished: Promise<void>;
}

/** Rows are batched up to this many characters (or until `drained()`/`close()`) before a write. */
const BATCH_CHARS = 1 << 16;

export class CsvOutputs {
  private readonly outputs = new Map<Table | 'snapshots', Output>();
  private summaryColumns: string[] | undefined;

  constructor(readonly dir: string) {
    for (const table of ['timeseries', 'events', 'totals'] as const) {
      this.outputs.set(table, this.open(table, [...CSV_FILES[table].columns]));
    }
  }

  // Lines are formatted by csvLine, byte for byte as csv-stringify formats them (see csv-line.ts).
  private open(table: Table, columns: string[]): Output {
    const file = createWriteStream(join(this.dir, CSV_FILES[table].file));
    const finished = new Promise<void>((resolve, reject) => {
      file.on('finish', resolve);
      file.on('error', reject);
    });
    return { file, pending: csvLine(columns), finished };
  }

  private write(table: Table, row: string[]): void {
    const output = this.outputs.get(table)!;
    output.pending += csvLine(row);
    if (output.pending.length >= BATCH_CHARS) flush(output);
  }

  /** The observer for one run of one variant. */
  observer(variant: string, run: number, seed: number): Observer {
    const v = variant;
    const r = String(run);
    const s = String(seed);
    return {
      sample: (time, kind, namespace, name, metric, value) =>
        this.write('timeseries', [v, r, s, formatNumber(time), kind, namespace, name, metric, formatNumber(value)]),
      event: (e: ClusterEvent) =>
        this.write('events', [v, r, formatNumber(e.time), e.type, e.reason, e.kind, e.namespace, e.name, e.message]),
      total: (kind, namespace, name, metric, value) => this.write('totals', [v, r, kind, namespace, name, metric, formatNumber(value)]),
      summary: (values) => this.writeSummary([v, r, s], values),
      snapshot: (time, command, text) => this.writeSnapshot(v === 'base' && run === 1 ? '' : ` (variant ${v}, run ${r})`, time, command, text),
    };
  }

  /**
   * snapshots.txt (created at the first snapshot): each `kubectl get` table headed by the
   * simulated time and the command, `[t=1m30s] $ kubectl get pods -o wide`, then a blank line.
   */
  private writeSnapshot(suffix: string, time: number, command: string, text: string): void {
    let output = this.outputs.get('snapshots');
    if (!output) {
      const file = createWriteStream(join(this.dir, SNAPSHOTS_FILE));
      const finished = new Promise<void>((resolve, reject) => {
        file.on('finish', resolve);
        file.on('error', reject);
      });
      this.outputs.set('snapshots', (output = { file, pending: '', finished }));
    }
    output.pending += `[t=${formatDuration(time)}]${suffix} $ ${command}\n${text}\n\n`;
    if (output.pending.length >= BATCH_CHARS) flush(output);
  }

  /** The summary header is the first run's metric names; every run reports the same names. */
  private writeSummary(prefix: string[], values: ReadonlyMap<string, number>): void {
    if (!this.summaryColumns) {
      this.summaryColumns = [...CSV_FILES.summary.columns, ...values.keys()];
      this.outputs.set('summary', this.open('summary', this.summaryColumns));
    }
    const names = this.summaryColumns.slice(prefix.length);
    this.write('summary', [...prefix, ...names.map((n) => (values.has(n) ? formatNumber(values.get(n)!) : ''))]);
  }

  /** Resolves when no stream holds more than its buffer limit. */
  async drained(): Promise<void> {
    for (const output of this.outputs.values()) {
      flush(output);
      if (output.file.writableNeedDrain) await once(output.file, 'drain');
    }
  }

  /** Ends every stream and waits until the files are complete on disk. */
  async close(): Promise<void> {
    if (!this.outputs.has('summary')) this.outputs.set('summary', this.open('summary', [...CSV_FILES.summary.columns]));
    for (const o of this.outputs.values()) {
      flush(o);
      o.file.end();
    }
    await Promise.all([...this.outputs.values()].map((o) => o.finished));
  }
}

function flush(output: Output): void {
  if (output.pending === '') return;
  output.file.write(output.pending);
  output.pending = '';
}
