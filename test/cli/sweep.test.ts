/**
 * Sweeps from the command line: `run --runs`, `compare`, `--shard` + `merge`, SIGINT. Outputs
 * must not depend on the number of workers or on sharding: folders are compared byte for byte.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../../reports/csv-read.js';
import { repoPath } from '../helpers/paths.js';

const MAIN = fileURLToPath(new URL('../../cli/main.js', import.meta.url));
const SCENARIO = repoPath('scenarios/book-lab.yaml');
const SHORT = ['--duration', '30s', '-q'];

function kubesim(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function out(): string {
  return mkdtempSync(join(tmpdir(), 'kubesim-sweep-'));
}

/** Every CSV of a folder (run.json holds wall-clock facts and is compared separately). */
function csvs(dir: string): Record<string, string> {
  const names = readdirSync(dir).filter((f) => f.endsWith('.csv')).sort();
  return Object.fromEntries(names.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

function ok(r: { code: number; stderr: string }): void {
  assert.equal(r.code, 0, r.stderr);
}

test('run --runs: the same files with 1 and 3 workers; run 1 is the single run', () => {
  const one = out();
  const three = out();
  const single = out();
  ok(kubesim('run', SCENARIO, ...SHORT, '--runs', '3', '--workers', '1', '--out', one));
  ok(kubesim('run', SCENARIO, ...SHORT, '--runs', '3', '--workers', '3', '--out', three));
  ok(kubesim('run', SCENARIO, ...SHORT, '--out', single));
  const a = csvs(one);
  assert.deepEqual(Object.keys(a), ['aggregate.csv', 'events.csv', 'summary.csv', 'timeseries-aggregate.csv', 'timeseries.csv', 'totals.csv']);
  assert.deepEqual(csvs(three), a);
  // The single run is run 1 of the sweep (same seed, same rows).
  const s = csvs(single);
  for (const f of ['timeseries.csv', 'totals.csv', 'summary.csv']) {
    const firstRun = a[f]!.split('\n').filter((line, i) => i === 0 || line.startsWith('base,1,'));
    assert.equal(`${firstRun.join('\n')}\n`, s[f], f);
  }
  const meta = JSON.parse(readFileSync(join(one, 'run.json'), 'utf8')) as { seeds: number[]; sweep: { runs: number } };
  assert.deepEqual(meta.seeds, [1, 2654435770, 1013904243]);
  assert.equal(meta.sweep.runs, 3);
});

test('compare: variants named by their assignments, the same seeds for every variant, compare.csv', () => {
  const dir = out();
  const r = kubesim('compare', SCENARIO, ...SHORT, '--vary', 'spec.load[0].arrivals.rate=100,300', '--runs', '3', '--out', dir);
  ok(r);
  assert.match(r.stdout, /diff vs first/);
  const summary = parseCsv(readFileSync(join(dir, 'summary.csv'), 'utf8')).slice(1);
  assert.deepEqual(summary.map((row) => [row[0], row[1]]), [
    ['spec.load[0].arrivals.rate=100', '1'], ['spec.load[0].arrivals.rate=100', '2'], ['spec.load[0].arrivals.rate=100', '3'],
    ['spec.load[0].arrivals.rate=300', '1'], ['spec.load[0].arrivals.rate=300', '2'], ['spec.load[0].arrivals.rate=300', '3'],
  ]);
  assert.deepEqual(summary.slice(0, 3).map((row) => row[2]), summary.slice(3).map((row) => row[2]), 'common random numbers');
  const compare = parseCsv(readFileSync(join(dir, 'compare.csv'), 'utf8'));
  assert.equal(compare[0]!.join(), 'variant,metric,n,mean,sd,ci95_low,ci95_high,diff_pairs,diff_mean,diff_ci95_low,diff_ci95_high,p_value,significant');
  const requests = compare.find((row) => row[0] === 'spec.load[0].arrivals.rate=300' && row[1] === 'requests')!;
  assert.equal(requests[12], 'yes', 'three times the rate sends significantly more requests');
  for (const f of ['timeseries.csv', 'events.csv', 'totals.csv', 'aggregate.csv', 'timeseries-aggregate.csv']) {
    const variants = new Set(parseCsv(readFileSync(join(dir, f), 'utf8')).slice(1).map((row) => row[0]));
    assert.deepEqual([...variants], ['spec.load[0].arrivals.rate=100', 'spec.load[0].arrivals.rate=300'], f);
  }
});

test('shards merged give byte-identical files to the whole sweep', () => {
  const whole = out();
  const args = ['compare', SCENARIO, ...SHORT, '--vary', 'spec.load[0].arrivals.rate=100,300', '--runs', '3'];
  ok(kubesim(...args, '--workers', '2', '--out', whole));
  const shards = [1, 2, 3, 4].map(() => out());
  // 6 runs in 4 shards: blocks of 1 or 2 runs, one of them across the two variants.
  shards.forEach((dir, i) => ok(kubesim(...args, '--workers', '1', '--shard', `${i + 1}/4`, '--out', dir)));
  assert.ok(!existsSync(join(shards[0]!, 'aggregate.csv')), 'a shard writes no aggregates');
  const merged = out();
  ok(kubesim('merge', shards[2]!, shards[0]!, shards[3]!, shards[1]!, '--out', merged));
  assert.deepEqual(csvs(merged), csvs(whole));
  const meta = JSON.parse(readFileSync(join(merged, 'run.json'), 'utf8')) as { seeds: number[] };
  assert.equal(meta.seeds.length, 6);
});

test('merge refuses incomplete or mixed shard sets (exit 2, one line)', () => {
  const a = out();
  const b = out();
  const other = out();
  ok(kubesim('run', SCENARIO, ...SHORT, '--runs', '2', '--shard', '1/2', '--out', a));
  ok(kubesim('run', SCENARIO, ...SHORT, '--runs', '2', '--shard', '2/2', '--out', b));
  ok(kubesim('run', SCENARIO, ...SHORT, '--runs', '2', '--seed', '9', '--shard', '2/2', '--out', other));
  for (const [dirs, fragment] of [
    [[a], 'expected all 2 shards'],
    [[a, other], 'same sweep'],
    [[a, a], 'once each'],
  ] as const) {
    const r = kubesim('merge', ...dirs, '--out', out());
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.ok(r.stderr.includes(fragment), r.stderr);
  }
});

test('bad sweep flags exit 2 with one line', () => {
  for (const [args, fragment] of [
    [['run', '--runs', '0'], '--runs'],
    [['run', '--workers', 'x'], '--workers'],
    [['run', '--runs', '2', '--shard', '3/2'], '--shard'],
    [['compare', SCENARIO, '--vary', 'spec.load[0].arrivals.rate'], '--vary'],
    [['compare', SCENARIO, '--vary', 'spec.load[0].arrivals.rate=1,1'], 'distinct'],
    [['compare', SCENARIO], '--vary'],
    [['compare', SCENARIO, '--vary', 'spec.load[5].arrivals.rate=1,2'], '--vary spec.load[5].arrivals.rate=1'],
  ] as const) {
    const r = kubesim(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.ok(r.stderr.includes(fragment), `${args.join(' ')}: ${r.stderr}`);
  }
});

test('SIGINT stops the sweep: exit 130, complete runs in valid files', async () => {
  const dir = out();
  const child = spawn(process.execPath, [MAIN, 'run', SCENARIO, '--duration', '2m', '-q', '--runs', '200', '--workers', '1', '--out', dir]);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // Wait (by polling, not by a deadline) until the first run has been written.
  const header = 'variant,run,seed,time_s,kind,namespace,name,metric,value\n';
  const timeseries = join(dir, 'timeseries.csv');
  while (!(existsSync(timeseries) && statSync(timeseries).size > header.length)) await new Promise((r) => setTimeout(r, 20));
  child.kill('SIGINT');
  assert.equal(await exited, 130, stderr);
  assert.match(stderr, /interrupted/);
  const runs = new Set<string>();
  for (const f of ['timeseries.csv', 'events.csv', 'totals.csv', 'summary.csv']) {
    const text = readFileSync(join(dir, f), 'utf8');
    assert.ok(text.endsWith('\n'), f);
    const records = parseCsv(text);
    assert.ok(records.every((r) => r.length === records[0]!.length), `${f}: every row complete`);
    if (f === 'summary.csv') for (const r of records.slice(1)) runs.add(r[1]!);
  }
  assert.ok(runs.size >= 1 && runs.size < 200, `runs written: ${runs.size}`);
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('.kubesim-parts')), [], 'no temporary parts left');
});

test('compare, merge and report have --help with an example; report rejects a folder without outputs', () => {
  for (const command of ['compare', 'merge', 'report']) {
    const r = kubesim(command, '--help');
    assert.equal(r.code, 0, command);
    assert.match(r.stdout, /Examples?:\n\s+\$ kubesim /, command);
  }
  const r = kubesim('report', out());
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /expected an output folder of kubesim/);
});
