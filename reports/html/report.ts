/**
 * report.html: one self-contained page (inline CSS and SVG, no script, no network) from the
 * files of an output folder — a single run, a sweep or a comparison:
 *  - the scenario and how it was run (run.json);
 *  - time series per variant, mean line and 95% band across runs (timeseries-aggregate.csv, or
 *    computed from timeseries.csv for a single run): replicas, pending pods, request rate,
 *    errors, latency percentiles, node utilization;
 *  - the comparison table (per variant: mean and 95% interval; paired difference to the first
 *    variant, marked when its interval excludes zero), from summary.csv;
 *  - the event log (events.csv, the first EVENT_LIMIT rows).
 * It is a function of the folder's files: the same folder gives the same page.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareRows } from '../compare-csv.js';
import { CSV_FILES } from '../csv-outputs.js';
import { readCsvRows } from '../csv-read.js';
import { sweepFigures } from '../run-figures.js';
import type { RunMetadata } from '../run-metadata.js';
import { readSummaryCsv } from '../summary-csv.js';
import { aggregateTimeseries, TIMESERIES_AGGREGATE_COLUMNS, TIMESERIES_AGGREGATE_FILE } from '../timeseries-aggregate.js';
import { readCsvRecords } from '../csv-read.js';
import { escapeHtml } from './escape.js';
import { lineChart, PALETTE, type ChartSeries } from './svg-chart.js';
import { comparisonTableHtml } from './comparison-table.js';

export const REPORT_FILE = 'report.html';
export const EVENT_LIMIT = 2000;
/** At most this many charts per metric (one per object: node, service, deployment). */
const OBJECTS_PER_METRIC = 8;

/** The charts, in page order: [kind, metric, heading]. */
export const CHARTS: readonly [string, string, string][] = [
  ['Deployment', 'replicas_ready', 'Ready replicas'],
  ['Deployment', 'replicas_desired', 'Desired replicas'],
  ['Cluster', 'pods_pending', 'Pending pods'],
  ['Service', 'requests', 'Requests per interval'],
  ['Service', 'requests_failed', 'Failed requests per interval'],
  ['Service', 'latency_p50_ms', 'Latency p50 (ms)'],
  ['Service', 'latency_p95_ms', 'Latency p95 (ms)'],
  ['Service', 'latency_p99_ms', 'Latency p99 (ms)'],
  ['Node', 'cpu_requested_ratio', 'Node CPU requested / allocatable'],
];

async function timeseriesRecords(dir: string): Promise<string[][]> {
  const file = join(dir, TIMESERIES_AGGREGATE_FILE);
  if (!existsSync(file)) return aggregateTimeseries(dir);
  const records: string[][] = [];
  let header = true;
  for await (const r of readCsvRecords(file)) {
    if (header) header = false;
    else records.push(r);
  }
  return records;
}

function chartsHtml(records: readonly string[][], variants: readonly string[], colorOf: (v: string) => string): string {
  const col = (name: string): number => TIMESERIES_AGGREGATE_COLUMNS.indexOf(name);
  const [V, T, K, NS, N, MET, MEAN, LOW, HIGH] = ['variant', 'time_s', 'kind', 'namespace', 'name', 'metric', 'mean', 'ci95_low', 'ci95_high'].map(col) as number[];
  const sections: string[] = [];
  for (const [kind, metric, heading] of CHARTS) {
    const rows = records.filter((r) => r[K!] === kind && r[MET!] === metric);
    if (rows.length === 0) continue;
    const objects = [...new Set(rows.map((r) => (r[NS!] ? `${r[NS!]}/${r[N!]}` : r[N!]!)))].slice(0, OBJECTS_PER_METRIC);
    for (const object of objects) {
      const series: ChartSeries[] = variants.map((variant) => ({
        variant,
        points: rows
          .filter((r) => r[V!] === variant && (r[NS!] ? `${r[NS!]}/${r[N!]}` : r[N!]!) === object)
          .map((r) => ({ t: Number(r[T!]), mean: num(r[MEAN!]), low: num(r[LOW!]), high: num(r[HIGH!]) })),
      }));
      const title = object ? `${heading} — ${kind} ${object}` : heading;
      sections.push(
        `<figure data-kind="${escapeHtml(kind)}" data-metric="${escapeHtml(metric)}" data-object="${escapeHtml(object)}"><figcaption>${escapeHtml(title)}</figcaption>${lineChart(title, series, colorOf)}</figure>`,
      );
    }
  }
  return sections.join('\n');
}

function num(cell: string | undefined): number {
  return cell === undefined || cell === '' ? NaN : Number(cell);
}

async function eventsHtml(dir: string): Promise<string> {
  const file = join(dir, CSV_FILES.events.file);
  if (!existsSync(file)) return '<p>No events.csv in this folder.</p>';
  const rows: string[] = [];
  let total = 0;
  for await (const e of readCsvRows(file)) {
    total++;
    if (rows.length >= EVENT_LIMIT) continue;
    const cls = e.type === 'Warning' ? ' class="warning"' : '';
    rows.push(
      `<tr${cls}>${[e.variant, e.run, e.time_s, e.type, e.reason, `${e.kind}/${e.name}`, e.message].map((c) => `<td>${escapeHtml(c ?? '')}</td>`).join('')}</tr>`,
    );
  }
  const note = total > EVENT_LIMIT ? `<p>The first ${EVENT_LIMIT} of ${total} events; all are in events.csv.</p>` : '';
  return `${note}<table class="events"><thead><tr><th>variant</th><th>run</th><th>time (s)</th><th>type</th><th>reason</th><th>object</th><th>message</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function scenarioHtml(meta: RunMetadata | undefined, variants: readonly string[], runs: number): string {
  if (!meta) return `<p>${variants.length} variant(s), ${runs} run(s) (no run.json in this folder).</p>`;
  const sweep = meta.sweep;
  const items: [string, string][] = [
    ['scenario', `${meta.scenario.name} (${meta.scenario.file})`],
    ['scenario SHA-256', meta.scenario.sha256],
    ['runs per variant', String(sweep?.runs ?? 1)],
    ['seeds', seedList([...new Set(meta.seeds)])],
    ['overrides', meta.overrides.length ? meta.overrides.join(' ') : 'none'],
    ['kubesim', meta.kubesimVersion],
  ];
  return `<dl>${items.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}

/** Every variant runs on the same seeds: each is listed once. */
function seedList(seeds: readonly number[]): string {
  return seeds.length > 6 ? `${seeds.slice(0, 6).join(', ')}, … (${seeds.length} seeds)` : seeds.join(', ');
}

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1400px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}
dl{display:grid;grid-template-columns:max-content auto;gap:2px 16px}dt{font-weight:600}dd{margin:0;font-family:monospace}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(460px,1fr));gap:16px}
figure{margin:0;border:1px solid #eee;padding:8px}figcaption{font-weight:600;margin-bottom:4px}
svg.chart{width:100%;height:auto}svg.chart text{font:10px sans-serif;fill:#555}svg.chart .grid{stroke:#eee}
.legend span{display:inline-block;margin-right:16px}.legend i{display:inline-block;width:14px;height:4px;margin-right:6px;vertical-align:middle}
table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}tr.significant td.diff{font-weight:700;background:#fff3cd}
tr.warning td{background:#fdecea}.events{max-width:100%}`;

export async function buildReport(dir: string): Promise<string> {
  const metaFile = join(dir, 'run.json');
  const meta = existsSync(metaFile) ? (JSON.parse(readFileSync(metaFile, 'utf8')) as RunMetadata) : undefined;
  const summaryFile = join(dir, CSV_FILES.summary.file);
  const figures = sweepFigures(existsSync(summaryFile) ? await readSummaryCsv(summaryFile) : []);
  const records = existsSync(join(dir, CSV_FILES.timeseries.file)) || existsSync(join(dir, TIMESERIES_AGGREGATE_FILE)) ? await timeseriesRecords(dir) : [];
  const variants = figures.variants.length ? figures.variants.map((v) => v.variant) : [...new Set(records.map((r) => r[0]!))];
  const colorOf = (v: string): string => PALETTE[Math.max(0, variants.indexOf(v)) % PALETTE.length]!;
  const runs = figures.variants[0]?.runs ?? 0;
  const legend = variants.map((v) => `<span data-variant="${escapeHtml(v)}"><i style="background:${colorOf(v)}"></i>${escapeHtml(v)}</span>`).join('');
  const name = meta?.scenario.name ?? 'kubesim';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>kubesim report: ${escapeHtml(name)}</title><style>${STYLE}</style></head>
<body>
<h1>kubesim report: ${escapeHtml(name)}</h1>
<section id="scenario"><h2>Scenario</h2>${scenarioHtml(meta, variants, runs)}</section>
<section id="timeseries"><h2>Time series</h2>
<p>Mean over the runs of each variant; the shaded band is the 95% confidence interval of the mean (Student t).</p>
<p class="legend">${legend}</p>
<div class="charts">${chartsHtml(records, variants, colorOf)}</div></section>
<section id="comparison"><h2>Comparison</h2>${comparisonTableHtml(compareRows(figures))}</section>
<section id="events"><h2>Event log</h2>${await eventsHtml(dir)}</section>
</body></html>
`;
}

export async function writeReport(dir: string): Promise<string> {
  const file = join(dir, REPORT_FILE);
  writeFileSync(file, await buildReport(dir));
  return file;
}
