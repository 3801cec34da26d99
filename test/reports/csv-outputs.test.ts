import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvOutputs } from '../../reports/csv-outputs.js';
import { formatNumber } from '../../reports/format.js';

test('numbers: integers as they are, 6 decimals at most, empty for undefined values', () => {
  assert.equal(formatNumber(3), '3');
  assert.equal(formatNumber(0.1 + 0.2), '0.3');
  assert.equal(formatNumber(12.3456789), '12.345679');
  assert.equal(formatNumber(-0.0000001), '0');
  assert.equal(formatNumber(NaN), '');
  assert.equal(formatNumber(Infinity), '');
});

test('messages with commas, quotes and newlines stay one valid CSV field', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-csv-'));
  const out = new CsvOutputs(dir);
  const obs = out.observer('base', 1, 7);
  obs.event({ time: 1.5, type: 'Normal', reason: 'Pulling', kind: 'Pod', namespace: 'default', name: 'p', message: 'Pulling image "a,b"\nnext' });
  obs.sample(5, 'Cluster', '', '', 'pods_running', 3);
  obs.total('Pod', 'default', 'p', 'requests_served', 10);
  obs.summary(new Map([['requests', 10], ['latency_p50_ms', NaN]]));
  await out.close();
  assert.equal(
    readFileSync(join(dir, 'events.csv'), 'utf8'),
    'variant,run,time_s,type,reason,kind,namespace,name,message\nbase,1,1.5,Normal,Pulling,Pod,default,p,"Pulling image ""a,b""\nnext"\n',
  );
  assert.equal(readFileSync(join(dir, 'timeseries.csv'), 'utf8'), 'variant,run,seed,time_s,kind,namespace,name,metric,value\nbase,1,7,5,Cluster,,,pods_running,3\n');
  assert.equal(readFileSync(join(dir, 'totals.csv'), 'utf8'), 'variant,run,kind,namespace,name,metric,value\nbase,1,Pod,default,p,requests_served,10\n');
  assert.equal(readFileSync(join(dir, 'summary.csv'), 'utf8'), 'variant,run,seed,requests,latency_p50_ms\nbase,1,7,10,\n');
});
