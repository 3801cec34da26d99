/**
 * The scheduling scenarios of the library do what their headers say (scenarios/binpacking.yaml,
 * scenarios/topology-spread.yaml), and runs carry the scheduling metrics
 * (engine/metrics/scheduler-sampler.ts).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { runScenario } from '../../engine/run.js';
import { loadScenarioFile } from '../../engine/scenario/loader.js';
import { MemoryObserver } from '../helpers/memory-observer.js';
import { repoPath } from '../helpers/paths.js';

function run(file: string, overrides: string[] = []): MemoryObserver {
  const obs = new MemoryObserver();
  runScenario(loadScenarioFile(repoPath(`scenarios/${file}`), { overrides }).scenario, obs);
  return obs;
}

const at = (obs: MemoryObserver, metric: string, time: number) => obs.series('Cluster', '', metric).find((s) => s.time === time)?.value;

test('binpacking.yaml: MostAllocated uses fewer nodes and keeps room for the big pods; LeastAllocated leaves them Pending', () => {
  const least = run('binpacking.yaml');
  const most = run('binpacking.yaml', ['spec.manifests[0].spec.template.spec.schedulerName=most-allocated']);
  assert.equal(at(least, 'nodes_in_use', 170), 10);
  assert.equal(at(most, 'nodes_in_use', 170), 4);
  assert.equal(least.summaryValues.get('pods_pending_at_end'), 4);
  assert.equal(most.summaryValues.get('pods_pending_at_end'), 0);
  assert.ok(least.eventsWith('FailedScheduling').some((e) => e.message.startsWith('0/10 nodes are available: 10 Insufficient cpu. preemption: ')));
  assert.equal(most.eventsWith('FailedScheduling').length, 0);
});

test('topology-spread.yaml: maxSkew 1 over zones leaves one replica Pending with DoNotSchedule, none with ScheduleAnyway', () => {
  const zoneOf = (node: string) => node[0];
  const perZone = (obs: MemoryObserver) => {
    const zones = new Map<string, number>();
    for (const s of obs.samples) if (s.kind === 'Node' && s.metric === 'pods' && s.time === 170) zones.set(zoneOf(s.name)!, (zones.get(zoneOf(s.name)!) ?? 0) + s.value);
    return Object.fromEntries([...zones].sort());
  };
  const hard = run('topology-spread.yaml');
  assert.deepEqual(perZone(hard), { a: 5, b: 5, c: 4 });
  assert.equal(at(hard, 'pods_pending', 170), 1);
  assert.ok(
    hard.eventsWith('FailedScheduling').some((e) => e.message.startsWith("0/5 nodes are available: 1 Insufficient cpu, 4 node(s) didn't match pod topology spread constraints. preemption: ")),
  );
  assert.deepEqual(perZone(run('topology-spread.yaml', ['spec.manifests[0].spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable=DoNotSchedule'])), { a: 5, b: 5, c: 4 });
  const soft = run('topology-spread.yaml', ['spec.manifests[0].spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable=ScheduleAnyway']);
  assert.equal(at(soft, 'pods_pending', 170), 0);
});

test('runs carry scheduling metrics: attempts and failures per interval add up to the totals; latency, nodes in use, fragmentation', () => {
  const obs = run('binpacking.yaml');
  const sum = (metric: string) => obs.series('Cluster', '', metric).reduce((a, s) => a + s.value, 0);
  const total = (metric: string) => obs.totals.find((t) => t.kind === 'Scheduler' && t.metric === metric)?.value;
  assert.equal(sum('scheduling_attempts'), total('scheduling_attempts'));
  assert.equal(sum('scheduling_failures'), total('scheduling_failures'));
  assert.equal(obs.summaryValues.get('scheduling_attempts'), total('scheduling_attempts'));
  assert.equal(total('pods_scheduled'), 16);
  assert.ok(total('scheduling_failures')! >= 4);
  const p50 = obs.series('Cluster', '', 'scheduling_latency_p50_ms');
  const p99 = obs.series('Cluster', '', 'scheduling_latency_p99_ms');
  assert.ok(p50.length > 0 && p50.length === p99.length);
  p50.forEach((s, i) => assert.ok(s.value > 0 && s.value <= p99[i]!.value));
  for (const s of obs.series('Cluster', '', 'fragmented_cpu_ratio')) assert.ok(s.value >= 0 && s.value <= 1);
  assert.equal(obs.series('Cluster', '', 'nodes_in_use').length, obs.series('Cluster', '', 'pods_pending').length);
});
