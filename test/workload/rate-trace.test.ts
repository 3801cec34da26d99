/**
 * Rate trace files: `time_s,rps` rows read relative to the scenario, with errors naming the
 * file and the line.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenarioText } from '../../engine/scenario/loader.js';
import { parseRateTrace } from '../../engine/scenario/rate-trace.js';
import { testScenarioYaml } from '../helpers/scenario.js';

test('a trace file with a header and comments is read in order', () => {
  assert.deepEqual(parseRateTrace('time_s,rps\n# warm-up\n0,10\n\n60,20.5\n', 't.csv'), [
    { time: 0, rate: 10 },
    { time: 60, rate: 20.5 },
  ]);
});

test('bad rows are errors naming the file and line', () => {
  assert.throws(() => parseRateTrace('time_s,rps\n0,10\n30,-1\n', 't.csv'), /t\.csv: line 3: expected rps a number from 0/);
  assert.throws(() => parseRateTrace('0,10\n0,20\n', 't.csv'), /t\.csv: line 2: expected time_s after 0/);
  assert.throws(() => parseRateTrace('5,10\n', 't.csv'), /line 1: expected the first row at time_s 0/);
  assert.throws(() => parseRateTrace('0;10\n', 't.csv'), /line 1: expected a row time_s,rps/);
  assert.throws(() => parseRateTrace('time_s,rps\n', 't.csv'), /t\.csv: expected at least one time_s,rps row/);
});

test('the loader reads a trace relative to the scenario file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-trace-'));
  writeFileSync(join(dir, 'rates.csv'), 'time_s,rps\n0,5\n30,50\n');
  const yaml = testScenarioYaml().replace('arrivals: { type: poisson, rate: 50 }', 'arrivals: { type: trace, file: rates.csv }');
  const { scenario, files } = loadScenarioText(yaml, join(dir, 'scenario.yaml'));
  assert.deepEqual(scenario.load[0]!.arrivals, { type: 'trace', file: 'rates.csv', interpolation: 'step', points: [{ time: 0, rate: 5 }, { time: 30, rate: 50 }] });
  assert.ok(files.includes(join(dir, 'rates.csv')));
  assert.throws(() => loadScenarioText(yaml.replace('rates.csv', 'missing.csv'), join(dir, 'scenario.yaml')), /missing\.csv/);
});
