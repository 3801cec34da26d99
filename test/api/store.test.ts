import test from 'node:test';
import assert from 'node:assert/strict';
import { ApiServer, type WatchEventType } from '../../engine/api/store.js';
import type { ConfigMap } from '../../engine/api/types.js';
import { Simulation } from '../../engine/core/simulation.js';

function configMap(name: string): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'v' } };
}

test('a write commits after the write latency and watchers hear of it after the watch delay', () => {
  const sim = new Simulation(1);
  const api = new ApiServer(sim, { writeLatency: 0.01, watchDelay: 0.005 });
  const seen: [number, WatchEventType, string][] = [];
  api.watch('ConfigMap', (type, cm) => seen.push([sim.now, type, cm.metadata.resourceVersion!]));
  api.create(configMap('a'));
  assert.equal(api.get('ConfigMap', 'default', 'a'), undefined, 'not committed yet');
  sim.run({ until: 0.01 });
  const committed = api.get('ConfigMap', 'default', 'a')!;
  assert.equal(committed.metadata.namespace, 'default');
  assert.equal(committed.metadata.creationTimestamp, 0.01);
  assert.equal(seen.length, 0);
  api.update('ConfigMap', 'default', 'a', (cm) => {
    cm.data = { k: 'w' };
  });
  api.delete('ConfigMap', 'default', 'a');
  sim.run();
  assert.deepEqual(
    seen.map(([t, type]) => [Math.round(t * 1000), type]),
    [
      [15, 'ADDED'],
      [25, 'MODIFIED'],
      [25, 'DELETED'],
    ],
  );
  const versions = seen.map(([, , rv]) => Number(rv));
  assert.ok(versions[0]! < versions[2]!, 'resourceVersion increases');
});

test('generateName gets five random characters; a duplicate name is refused with AlreadyExists', () => {
  const sim = new Simulation(1);
  const api = new ApiServer(sim, { writeLatency: 0.01, watchDelay: 0.005 });
  const name = api.create({ ...configMap(''), metadata: { name: '', generateName: 'web-' } });
  assert.match(name, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  const results: string[] = [];
  api.create(configMap('x'), (r) => results.push(r));
  api.create(configMap('x'), (r) => results.push(r));
  api.update('ConfigMap', 'default', 'missing', () => {}, (r) => results.push(r));
  sim.run();
  assert.deepEqual(results, ['ok', 'AlreadyExists', 'NotFound']);
});

test('while the API server is stopped writes wait; on start they commit in order and watchers hear of them', () => {
  const sim = new Simulation(1);
  const api = new ApiServer(sim, { writeLatency: 0.01, watchDelay: 0.005 });
  const seen: string[] = [];
  api.watch('ConfigMap', (type, cm) => seen.push(`${sim.now.toFixed(3)} ${type} ${cm.metadata.name}`));
  api.stop();
  api.create(configMap('x'));
  api.create(configMap('y'));
  sim.run({ until: 60 });
  assert.equal(api.list('ConfigMap').length, 0, 'nothing committed while stopped');
  assert.deepEqual(seen, []);
  api.start();
  sim.run();
  assert.deepEqual(seen, ['60.015 ADDED x', '60.015 ADDED y']);
});
