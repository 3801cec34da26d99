/**
 * The CSV files of a run folder, written as the run goes (csv-stringify streams into files).
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
import { stringify, type Stringifier } from 'csv-stringify';
import type { ClusterEvent, Observer } from '../engine/metrics/observer.js';
import { formatNumber } from './format.js';

export const CSV_FILES = {
  timeseries: { file: 'timeseries.csv', columns: ['variant', 'run', 'seed', 'time_s', 'kind', 'namespace', 'name', 'metric', 'value'] },
  events: { file: 'events.csv', columns: ['variant', 'run', 'time_s', 'type', 'reason', 'kind', 'namespace', 'name', 'message'] },
  totals: { file: 'totals.csv', columns: ['variant', 'run', 'kind', 'namespace', 'name', 'metric', 'value'] },
  summary: { file: 'summary.csv', columns: ['variant', 'run', 'seed'] },
} as const;

type Table = keyof typeof CSV_FILES;

interface Output {
  stringifier: Stringifier;
  file: WriteStream;
  finished: Promise<void>;
}

export class CsvOutputs {
  private readonly outputs = new Map<Table, Output>();
  private summaryColumns: string[] | undefined;

  constructor(readonly dir: string) {
    for (const table of ['timeseries', 'events', 'totals'] as const) {
      this.outputs.set(table, this.open(table, [...CSV_FILES[table].columns]));
    }
  }

  private open(table: Table, columns: string[]): Output {
    const stringifier = stringify({ header: true, columns, record_delimiter: 'unix' });
    const file = createWriteStream(join(this.dir, CSV_FILES[table].file));
    stringifier.pipe(file);
    const finished = new Promise<void>((resolve, reject) => {
      file.on('finish', resolve);
      file.on('error', reject);
      stringifier.on('error', reject);
    });
    return { stringifier, file, finished };
  }

  private write(table: Table, row: string[]): void {
    this.outputs.get(table)!.stringifier.write(row);
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
    };
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
    for (const { stringifier, file } of this.outputs.values()) {
      if (stringifier.writableNeedDrain) await once(stringifier, 'drain');
      if (file.writableNeedDrain) await once(file, 'drain');
    }
  }

  /** Ends every stream and waits until the files are complete on disk. */
  async close(): Promise<void> {
    if (!this.outputs.has('summary')) this.outputs.set('summary', this.open('summary', [...CSV_FILES.summary.columns]));
    for (const o of this.outputs.values()) o.stringifier.end();
    await Promise.all([...this.outputs.values()].map((o) => o.finished));
  }
}
