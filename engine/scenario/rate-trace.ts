/**
 * Rate traces: a load with `arrivals: {type: trace, file}` follows a measured request rate
 * from a CSV file of `time_s,rps` rows (seconds from the load start, requests per second; an
 * optional header line; `#` comments and blank lines skipped). The file is read relative to
 * the scenario, as manifest files are, and a bad row is an error naming the file and the line.
 */
import { isAbsolute, join, dirname } from 'node:path';
import { errors } from './errors.js';
import type { Ctx } from './schema.js';
import { readFileBytes } from './yaml-source.js';
import { MAX_RATE } from './load-schema.js';
import type { ArrivalSpec, RatePoint } from '../workload/arrival-spec.js';

const HEADER = /^\s*time_s\s*,\s*rps\s*$/i;

/** Parses the text of a trace file; `file` names it in errors. */
export function parseRateTrace(text: string, file: string): RatePoint[] {
  const points: RatePoint[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    const where = `line ${i + 1}`;
    if (line === '' || line.startsWith('#') || (points.length === 0 && HEADER.test(line))) return;
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length !== 2) throw errors.invalidValue(file, where, 'a row time_s,rps (two numbers)', JSON.stringify(line));
    const [time, rate] = cells.map(Number) as [number, number];
    if (cells[0] === '' || !Number.isFinite(time) || time < 0) throw errors.invalidValue(file, where, 'time_s a number of seconds >= 0', JSON.stringify(cells[0]));
    if (cells[1] === '' || !Number.isFinite(rate) || rate < 0 || rate > MAX_RATE) {
      throw errors.invalidValue(file, where, `rps a number from 0 to ${MAX_RATE}`, JSON.stringify(cells[1]));
    }
    const prev = points[points.length - 1];
    if (prev && time <= prev.time) throw errors.invalidValue(file, where, `time_s after ${prev.time} (increasing)`, String(time));
    if (!prev && time !== 0) throw errors.invalidValue(file, where, 'the first row at time_s 0 (the load start)', String(time));
    points.push({ time, rate });
  });
  if (points.length === 0) throw errors.invalidValue(file, '', 'at least one time_s,rps row', 'none');
  return points;
}

/** Reads the trace file of every `trace` load in place (relative to the scenario's directory), adding each file to `files`. */
export function readRateTraces(loads: readonly { arrivals: ArrivalSpec }[], ctx: Ctx, files: string[]): void {
  loads.forEach((load) => {
    const a = load.arrivals;
    if (a.type !== 'trace' || a.file === undefined) return;
    const display = isAbsolute(a.file) ? a.file : join(dirname(ctx.file ?? '.'), a.file);
    const bytes = readFileBytes(display, display);
    if (!files.includes(display)) files.push(display);
    a.points = parseRateTrace(bytes.toString('utf8'), display);
  });
}
