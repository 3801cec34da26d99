/**
 * The HPA controller inside runs, against hand-computed expectations from the upstream
 * algorithm (pkg/controller/podautoscaler): desired = ceil(current x usage / target) outside
 * the 0.1 tolerance, the legacy scale-up limit max(2 x current, 4), the 5-minute downscale
 * stabilization, a sync every 15 s from 15 s after the HPA is created, and metrics that are
 * up to 10 s (cAdvisor) + 15 s (metrics-server) old when the HPA reads them.
 *
 * The test load is constant: 10 requests/s of exactly 50 ms of one core each = 500m of CPU
 * in all, whatever the routing, so the utilization over n pods of 200m is 250/n percent.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runScenario, ScenarioRun } from '../../../engine/run.js';
import { MemoryObserver } from '../../helpers/memory-observer.js';
import { testScenario, type TestScenarioOptions } from '../../helpers/scenario.js';

/**
 * The HPA test scenario: three 4-core workers, one Deployment `app` (200m CPU request, 32
 * workers a pod), a ClusterIP Service, an HPA on 50% CPU (1..10 replicas), and one constant load
 * with a constant service time, so the CPU it burns is known exactly: rate x serviceTime x
 * cpu-per-request (1 core by default).
 */
const HPA_TEST: TestScenarioOptions = {
  name: 'hpa-test',
  controlPlane: false,
  cpu: '4',
  memory: '8Gi',
  app: 'app',
  image: 'registry.k8s.io/hpa-example',
  replicas: 1,
  podWorkers: 32,
  queueCapacity: null,
  requestCpu: '200m',
  requestMemory: null,
  serviceType: 'ClusterIP',
  hpa: { minReplicas: 1, maxReplicas: 10 },
  arrivals: 'constant',
  rate: 10,
  serviceTime: '50ms',
  timeout: null,
  loadStart: '1m',
  loadStop: '5m',
  duration: '15m',
};

const SYNC = 15;
/** The HPA is written at 0 s, commits after 10 ms and is seen 5 ms later; its syncs follow every 15 s. */
const FIRST_SYNC = 0.01 + 0.005 + SYNC;
/** The most a metric can lag behind the load: a housekeeping interval, a scrape period and a sync period. */
const MAX_LAG = 10 + 15 + SYNC;
/**
 * SuccessfulRescale is recorded once the scale update has answered (horizontal.go
 * reconcileAutoscaler), one write latency (10 ms) after the sync that decided it.
 */
const SCALE_ANSWER = 0.01;

function rescales(obs: MemoryObserver): { time: number; size: number; reason: string }[] {
  return obs.eventsWith('SuccessfulRescale').map((e) => {
    const m = /^New size: (\d+); reason: (.*)$/.exec(e.message);
    assert.ok(m, e.message);
    return { time: e.time, size: Number(m[1]), reason: m[2]! };
  });
}

function onSyncGrid(t: number): boolean {
  const k = (t - FIRST_SYNC) / SYNC;
  return Math.abs(k - Math.round(k)) < 1e-6 && k >= -1e-9;
}

test('the HPA scales a Deployment up under load to ceil(usage / target) and back to minReplicas after the stabilization window', () => {
  const obs = new MemoryObserver();
  const loadStart = 60;
  const loadStop = 300;
  runScenario(testScenario({ ...HPA_TEST, loadStart: `${loadStart}s`, loadStop: `${loadStop}s`, duration: '12m' }), obs);
  const r = rescales(obs);
  for (const x of r) assert.ok(onSyncGrid(x.time - SCALE_ANSWER), `rescale at ${x.time} answers a sync on the 15 s grid`);

  // Before the load: 0% utilization, nothing to do.
  assert.ok(r[0]!.time > loadStart, 'no rescale before the load');
  // The metrics pipeline shows the load within one housekeeping + scrape + sync.
  assert.ok(r[0]!.time <= loadStart + MAX_LAG, `first scale-up at ${r[0]!.time}`);
  assert.equal(r[0]!.reason, 'cpu resource utilization (percentage of request) above target');

  // From 1 pod: 500m = 250% of 200m, so ceil(1 x 250/50) = 5, but the legacy path allows at
  // most max(2 x 1, 4) = 4 in one step; no step ever exceeds max(2 x current, 4).
  let current = 1;
  for (const x of r.filter((e) => e.time < loadStop)) {
    assert.ok(x.size <= Math.max(2 * current, 4), `${current} -> ${x.size}`);
    current = x.size;
  }
  // Steady state: 5 pods at 250/5 = 50% (ratio 1.0, inside the tolerance); 4 pods would be
  // 62.5% (ratio 1.25 > 1.1): ceil(4 x 1.25) = 5.
  assert.equal(current, 5);
  const utilization = obs.series('HorizontalPodAutoscaler', 'app', 'cpu_utilization_percent').filter((s) => s.time > 200 && s.time <= loadStop);
  for (const s of utilization) assert.ok(Math.abs(s.value - 50) <= 2, `utilization ${s.value}% at ${s.time}`);
  const replicas = obs.series('HorizontalPodAutoscaler', 'app', 'current_replicas');
  assert.equal(replicas.find((s) => s.time === loadStop)!.value, 5);

  // After the load: recommendations of 1, but the highest of the last 300 s wins, and the
  // syncs up to the lag after the stop still saw load. So the size holds for 300 s after the
  // last sync before the stop, and the run ends at minReplicas.
  const down = r.filter((e) => e.time > loadStop);
  assert.ok(down.length >= 1);
  const lastSyncBeforeStop = FIRST_SYNC + SYNC * Math.floor((loadStop - FIRST_SYNC) / SYNC);
  assert.ok(down[0]!.time > lastSyncBeforeStop + 300, `first scale-down at ${down[0]!.time}`);
  assert.ok(down[0]!.time <= loadStop + MAX_LAG + 300, `first scale-down at ${down[0]!.time}`);
  for (const x of down) assert.equal(x.reason, 'All metrics below target');
  assert.equal(down.at(-1)!.size, 1);
  assert.equal(replicas.at(-1)!.value, 1);
  assert.equal(obs.series('HorizontalPodAutoscaler', 'app', 'cpu_utilization_percent').at(-1)!.value, 0);
});

test('HPA status: conditions with upstream reasons, lastScaleTime, and the scale target follows desiredReplicas', () => {
  const run = new ScenarioRun(testScenario({ ...HPA_TEST, duration: '4m', loadStop: '4m' }), new MemoryObserver());
  while (run.now < 230) run.advance();
  const hpa = run.apiServer.get('HorizontalPodAutoscaler', 'default', 'app')!;
  const status = hpa.status as Record<string, any>;
  assert.equal(status.currentReplicas, 5);
  assert.equal(status.desiredReplicas, 5);
  assert.equal(run.apiServer.get('Deployment', 'default', 'app')!.spec.replicas, 5);
  const byType = new Map((status.conditions as { type: string; status: string; reason: string }[]).map((c) => [c.type, c]));
  assert.deepEqual(
    [...byType.values()].map((c) => [c.type, c.status, c.reason]).sort(),
    [
      ['AbleToScale', 'True', 'ReadyForNewScale'],
      ['ScalingActive', 'True', 'ValidMetricFound'],
      ['ScalingLimited', 'False', 'DesiredWithinRange'],
    ],
  );
  assert.equal(status.currentMetrics[0].type, 'Resource');
  assert.equal(status.currentMetrics[0].resource.name, 'cpu');
  assert.ok(Math.abs(status.currentMetrics[0].resource.current.averageUtilization - 50) <= 2);
  assert.ok(status.lastScaleTime > 60 && status.lastScaleTime < 230);
});

test('before metrics exist the HPA reports FailedGetResourceMetric and leaves the scale alone', () => {
  const obs = new MemoryObserver();
  runScenario(testScenario({ ...HPA_TEST, duration: '20s', loadStart: '10s', loadStop: '20s' }), obs);
  const failed = obs.eventsWith('FailedGetResourceMetric');
  assert.equal(failed.length, 1);
  assert.equal(failed[0]!.time, FIRST_SYNC);
  assert.equal(failed[0]!.message, 'failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API');
  assert.equal(obs.eventsWith('SuccessfulRescale').length, 0);
});

test('with spec.behavior the scale-up policy limits every step (Pods: 1 per 30 s)', () => {
  const obs = new MemoryObserver();
  const behavior = '{ scaleUp: { policies: [{ type: Pods, value: 1, periodSeconds: 30 }] } }';
  runScenario(testScenario({ ...HPA_TEST, hpa: { ...HPA_TEST.hpa, behavior }, duration: '5m', loadStop: '5m' }), obs);
  const up = rescales(obs);
  assert.deepEqual(
    up.map((x) => x.size),
    [2, 3, 4, 5],
  );
  // One pod per 30 s at most: consecutive scale-ups are at least 30 s apart.
  for (let i = 1; i < up.length; i++) assert.ok(up[i]!.time - up[i - 1]!.time >= 30 - 1e-9);
});

test('replicas never leave [minReplicas, maxReplicas] whatever the load (fast-check)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 0, max: 4 }),
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 1, max: 60 }),
      fc.integer({ min: 5, max: 200 }),
      fc.integer({ min: 0, max: 1000 }),
      (min, extra, initial, rate, serviceMs, seed) => {
        const max = min + extra;
        const obs = new MemoryObserver();
        runScenario(
          testScenario({ ...HPA_TEST, hpa: { minReplicas: min, maxReplicas: max }, replicas: initial, rate, serviceTime: `${serviceMs}ms`, arrivals: 'poisson', loadStart: '20s', loadStop: '3m', duration: '4m', seed }),
          obs,
        );
        for (const x of rescales(obs)) assert.ok(x.size >= min && x.size <= max, `New size ${x.size} outside [${min}, ${max}]`);
        // After the first sync the Deployment stays inside the range.
        for (const s of obs.series('Deployment', 'app', 'replicas_desired').filter((s) => s.time > FIRST_SYNC + 1)) {
          assert.ok(s.value >= min && s.value <= max, `spec.replicas ${s.value} at ${s.time} outside [${min}, ${max}]`);
        }
      },
    ),
    { numRuns: 6, seed: 7 },
  );
});

test('runs with an HPA are deterministic: same seed, same events and series', () => {
  const once = () => {
    const obs = new MemoryObserver();
    runScenario(testScenario({ ...HPA_TEST, arrivals: 'poisson', serviceTime: '{ dist: exponential, mean: 50ms }', duration: '8m', seed: 3 }), obs);
    return obs;
  };
  const a = once();
  const b = once();
  assert.deepEqual(a.events, b.events);
  assert.deepEqual(a.samples, b.samples);
  assert.ok(a.eventsWith('SuccessfulRescale').length > 0);
});
