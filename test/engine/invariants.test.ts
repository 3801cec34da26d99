/**
 * Properties of the model over random small scenarios (fast-check): whatever the load, the pod
 * sizes and the kubectl timeline, requests are conserved (sent = served + failed + in flight,
 * which the run itself checks and a test re-derives here), no node's requests exceed its
 * allocatable, the Deployment converges to its last requested size when it fits, and a run is a
 * pure function of its seed.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runScenario } from '../../engine/run.js';
import { FAILURE_REASONS } from '../../engine/metrics/traffic-stats.js';
import { MemoryObserver } from '../helpers/memory-observer.js';
import { testScenario, type TestScenarioOptions } from '../helpers/scenario.js';

const arbitraryScenario: fc.Arbitrary<TestScenarioOptions> = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  workers: fc.integer({ min: 1, max: 4 }),
  replicas: fc.integer({ min: 0, max: 8 }),
  requestCpu: fc.constantFrom('100m', '500m', '900m', '1500m'),
  rate: fc.integer({ min: 1, max: 300 }),
  podWorkers: fc.integer({ min: 1, max: 8 }),
  queueCapacity: fc.integer({ min: 0, max: 20 }),
  serviceTime: fc.constantFrom('5ms', '{ dist: exponential, mean: 30ms }', '{ dist: lognormal, mean: 20ms, p99: 200ms }', '2s'),
  timeout: fc.constantFrom('500ms', '5s'),
  loadStart: fc.constantFrom('0s', '10s'),
  duration: fc.constant('90s'),
  timeline: fc.array(
    fc.oneof(
      fc.record({ at: fc.integer({ min: 1, max: 80 }).map((s) => `${s}s`), run: fc.integer({ min: 0, max: 6 }).map((n) => `kubectl scale deployment web --replicas=${n}`) }),
      fc.record({ at: fc.integer({ min: 1, max: 80 }).map((s) => `${s}s`), run: fc.constant('kubectl delete pod -l app=web') }),
    ),
    { maxLength: 4 },
  ),
});

/** Conservation of requests and no over-committed node, checked on one run of `o`. */
function assertInvariants(o: TestScenarioOptions): void {
  const obs = new MemoryObserver();
  const s = runScenario(testScenario(o), obs).summary;
  assert.equal(s.get('requests'), s.get('requests_served')! + s.get('requests_failed')! + s.get('requests_in_flight_at_end')!);
  const perReason = FAILURE_REASONS.reduce(
    (sum, r) => sum + s.get(`requests_failed_${r}`)!,
    0,
  );
  assert.equal(perReason, s.get('requests_failed'));
  for (const row of obs.samples) {
    if (row.metric === 'cpu_requested_ratio' || row.metric === 'memory_requested_ratio') assert.ok(row.value <= 1 + 1e-12, `${row.name} ${row.metric}`);
  }
  // Per-interval counts add up to the run totals.
  const sent = obs.samples.filter((r) => r.kind === 'Service' && r.metric === 'requests').reduce((a, r) => a + r.value, 0);
  assert.equal(sent, s.get('requests'));
}

test('requests are conserved and no node is over-committed, whatever the scenario', () => {
  fc.assert(fc.property(arbitraryScenario, assertInvariants), { numRuns: 40 });
});

/**
 * Faults and operator actions at random moments, on nodes w1 and cp (every generated cluster
 * has both), including the ones that interrupt work in progress (a node failing while an image
 * is pulled, a kubelet stopped during a start, the API server down during a rollout).
 */
const faultAction: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('w1', 'cp').chain((node) =>
    fc.constantFrom(
      `kubesim fail node ${node}`,
      `kubesim recover node ${node}`,
      `kubesim stop kubelet ${node}`,
      `kubesim start kubelet ${node}`,
      `kubesim stop kube-proxy ${node}`,
      `kubesim start kube-proxy ${node}`,
      `kubectl cordon ${node}`,
      `kubectl uncordon ${node}`,
      `kubectl drain ${node} --ignore-daemonsets --force --timeout=20s`,
    ),
  ),
  fc.constantFrom(
    'kubesim stop scheduler',
    'kubesim start scheduler',
    'kubesim stop controller-manager',
    'kubesim start controller-manager',
    'kubesim stop apiserver',
    'kubesim start apiserver',
    'kubectl delete pod -l app=web',
    'kubectl rollout restart deployment web',
    'kubectl set image deployment/web web=nginx:1.28',
  ),
  fc.integer({ min: 0, max: 6 }).map((n) => `kubectl scale deployment web --replicas=${n}`),
);

test('requests are conserved and no node is over-committed under random faults and operator actions', () => {
  const withFaults = arbitraryScenario.chain((o) =>
    fc
      .array(fc.record({ at: fc.double({ min: 0.1, max: 85, noNaN: true }).map((s) => `${s.toFixed(1)}s`), run: faultAction }), { maxLength: 8 })
      .map((timeline) => ({ ...o, timeline })),
  );
  fc.assert(fc.property(withFaults, assertInvariants), { numRuns: 60 });
});

test('the Deployment converges to the last scale that fits', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 2 ** 31 }), (first, second, seed) => {
      const obs = new MemoryObserver();
      runScenario(
        testScenario({
          seed,
          duration: '2m',
          requestCpu: '100m',
          rate: 20,
          timeline: [
            { at: '20s', run: `kubectl scale deployment web --replicas=${first}` },
            { at: '50s', run: `kubectl scale deployment web --replicas=${second}` },
          ],
        }),
        obs,
      );
      const ready = obs.series('Deployment', 'web', 'replicas_ready');
      assert.equal(ready[ready.length - 1]!.value, second);
      const running = obs.series('Cluster', '', 'pods_running');
      assert.equal(running[running.length - 1]!.value, second);
    }),
    { numRuns: 15 },
  );
});

test('a run is a pure function of its seed', () => {
  fc.assert(
    fc.property(arbitraryScenario, (o) => {
      const a = new MemoryObserver();
      const b = new MemoryObserver();
      runScenario(testScenario(o), a);
      runScenario(testScenario(o), b);
      assert.deepEqual(a.samples, b.samples);
      assert.deepEqual(a.events, b.events);
      assert.deepEqual([...a.summaryValues], [...b.summaryValues]);
    }),
    { numRuns: 10 },
  );
});
