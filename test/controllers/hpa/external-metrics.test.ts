/**
 * Object and External metrics defined in the scenario (spec.metrics), served to the HPA with
 * Prometheus' scrape lag (engine/controllers/hpa/scenario-metrics.ts), against hand-computed
 * replica counts from the upstream formulas (pkg/controller/podautoscaler/replica_calculator.go):
 *
 * - External, AverageValue: GetExternalPerPodMetricReplicas, desired = ceil(sum / target) unless
 *   sum / (target x status.replicas) is within the 0.1 tolerance (then status.replicas);
 * - Object, Value: GetObjectMetricReplicas, desired = ceil(ready pods x value / target) outside
 *   the tolerance.
 *
 * The HPA is written at 0 s, committed after 10 ms and seen 5 ms later, so it syncs at
 * 15.015 + 15 k s; each sync sees the gauge as of the last scrape (multiples of the interval).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { runScenario } from '../../../engine/run.js';
import { curveValue, lastScrape, scenarioMetricsView, type ScenarioMetrics } from '../../../engine/controllers/hpa/scenario-metrics.js';
import { MetricsApiError } from '../../../engine/controllers/hpa/reconcile.js';
import { loadScenarioFile, loadScenarioText } from '../../../engine/scenario/loader.js';
import { ScenarioError } from '../../../engine/scenario/errors.js';
import { MemoryObserver } from '../../helpers/memory-observer.js';
import { repoPath } from '../../helpers/paths.js';

const FIRST_SYNC = 0.01 + 0.005 + 15;
/**
 * SuccessfulRescale is recorded once the scale update has answered (horizontal.go
 * reconcileAutoscaler), one write latency (10 ms) after the sync that decided it.
 */
const SCALE_ANSWER = 0.01;

function rescales(obs: MemoryObserver): { time: number; size: number; reason: string }[] {
  return obs.eventsWith('SuccessfulRescale').map((e) => {
    const m = /^New size: (\d+); reason: (.*)$/.exec(e.message);
    assert.ok(m, e.message);
    return { time: Number(e.time.toFixed(6)), size: Number(m[1]), reason: m[2]! };
  });
}

test('curves: piecewise linear between points, flat outside; scrapes on the interval grid', () => {
  const c = [
    { at: 60, value: 0 },
    { at: 180, value: 300 },
    { at: 300, value: 300 },
    { at: 420, value: 0 },
  ];
  assert.equal(curveValue(c, 0), 0);
  assert.equal(curveValue(c, 90), 75);
  assert.equal(curveValue(c, 240), 300);
  assert.equal(curveValue(c, 330), 225);
  assert.equal(curveValue(c, 1e6), 0);
  assert.equal(curveValue([{ at: 0, value: 7 }], 123), 7);
  assert.equal(lastScrape(89.999, 30), 60);
  assert.equal(lastScrape(90.015, 30), 90);
  assert.equal(lastScrape(15 * 6, 15), 90);
  assert.equal(lastScrape(12.3, 0), 12.3);
});

test('the adapter view: milli-units truncated, selectors, namespaces, and upstream errors', () => {
  const metrics: ScenarioMetrics = {
    scrapeInterval: 30,
    external: [
      { name: 'queue', labels: { queue: 'a' }, value: [{ at: 0, value: 0 }, { at: 60, value: 60 }] },
      { name: 'queue', labels: { queue: 'b' }, value: [{ at: 0, value: 1.0005 }] },
      { name: 'queue', namespace: 'other', labels: { queue: 'c' }, value: [{ at: 0, value: 9 }] },
    ],
    object: [
      { describedObject: { kind: 'Ingress', name: 'main', namespace: 'default' }, metric: 'rps', labels: {}, value: [{ at: 0, value: 0.25 }] },
    ],
  };
  const view = scenarioMetricsView(metrics, 'default', 59);
  // Scraped at 30 s: 30 for queue a; 1.0005 -> 1000 milli (truncated, as prometheus-adapter does).
  assert.deepEqual(view.external({ name: 'queue' }), [30000, 1000]);
  assert.deepEqual(view.external({ name: 'queue', selector: { matchLabels: { queue: 'b' } } }), [1000]);
  assert.deepEqual(scenarioMetricsView(metrics, 'other', 59).external({ name: 'queue', selector: { matchLabels: { queue: 'c' } } }), [9000]);
  assert.throws(() => view.external({ name: 'queue', selector: { matchLabels: { queue: 'c' } } }), MetricsApiError);
  assert.throws(() => view.external({ name: 'nope' }), /no metrics returned from external metrics API/);
  assert.equal(view.object({ name: 'rps' }, { kind: 'Ingress', name: 'main' }), 250);
  assert.throws(() => view.object({ name: 'rps' }, { kind: 'Service', name: 'main' }), /could not find the metric rps for Service main/);
  assert.throws(() => scenarioMetricsView(metrics, 'other', 59).object({ name: 'rps' }, { kind: 'Ingress', name: 'main' }), MetricsApiError);
  // Live (KEDA-like): the curve at the query time.
  assert.deepEqual(scenarioMetricsView({ ...metrics, scrapeInterval: 0 }, 'default', 59).external({ name: 'queue', selector: { matchLabels: { queue: 'a' } } }), [59000]);
});

test('scenarios/hpa-external-queue.yaml: a queue-length curve drives the HPA to ceil(queue / 30) at the first sync after each scrape', () => {
  const { scenario } = loadScenarioFile(repoPath('scenarios/hpa-external-queue.yaml'));
  const obs = new MemoryObserver();
  runScenario(scenario, obs);
  // The queue, as of the 30 s scrapes: 0 until 60 s, 2.5/s from 60 s to 180 s, 300 until 300 s,
  // -2.5/s to 0 at 420 s. AverageValue target 30: desired = ceil(queue / 30), min 1.
  //   scrape  90 s:  75 -> 3;  120 s: 150 -> 5;  150 s: 225 -> 8 (225 / (30 x 5) = 1.5);
  //   scrape 180 s: 300 -> 10 (300 / (30 x 8) = 1.25); 210-300 s: 300 / (30 x 10) = 1.0, hold;
  //   scrape 330 s: 225 -> 8 (0.75);  360 s: 150 -> 5 (0.625);  390 s: 75 -> 3 (0.5);
  //   scrape 420 s: 0 -> 0, clamped to minReplicas 1.
  // The sync that sees scrape s first is the first one at or after s: 15.015 + 15 k.
  const firstSyncAfter = (s: number) => Number((FIRST_SYNC + 15 * Math.ceil((s - FIRST_SYNC) / 15)).toFixed(6));
  const expected = [
    [90, 3],
    [120, 5],
    [150, 8],
    [180, 10],
    [330, 8],
    [360, 5],
    [390, 3],
    [420, 1],
  ].map(([s, size]) => ({ time: Number((firstSyncAfter(s!) + SCALE_ANSWER).toFixed(6)), size: size! }));
  const got = rescales(obs);
  assert.deepEqual(
    got.map(({ time, size }) => ({ time, size })),
    expected,
  );
  for (const r of got.slice(0, 4)) assert.match(r.reason, /^external metric queue_messages_ready\(.*\) above target$/);
  for (const r of got.slice(4)) assert.equal(r.reason, 'All metrics below target');
  // The lag: the live value at 75.015 s (37.5 messages) would already ask for 2 workers.
  assert.ok(got[0]!.time > 75.1);
  // The HPA's time series carries the metric: the per-pod average it saw (sum / status.replicas, rounded up).
  const avg = obs.series('HorizontalPodAutoscaler', 'queue-worker', 'queue_messages_ready_average');
  assert.equal(avg.find((s) => s.time === 240)!.value, 30);
  assert.equal(obs.series('HorizontalPodAutoscaler', 'queue-worker', 'desired_replicas').find((s) => s.time === 240)!.value, 10);
});

function objectScenario(extra = ''): string {
  return `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: { name: hpa-object }
spec:
  duration: 5m
  cluster:
    nodes:
      - { pool: w, count: 2, namePattern: "w{i}", ipStart: 10.0.0.11, capacity: { cpu: "4", memory: 8Gi, pods: 110 } }
  metrics:
    scrapeInterval: 15s
    object:
      - describedObject: { apiVersion: networking.k8s.io/v1, kind: Ingress, name: main }
        metric: requests_per_second
        # 100 except at the 150 s scrape: only the sync at 150.015 s sees 150.
        value: [{ at: 135s, value: 100 }, { at: 150s, value: 150 }, { at: 165s, value: 100 }]
${extra}  manifests:
    - apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 2
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec:
            containers: [{ name: web, image: nginx, resources: { requests: { cpu: 100m } } }]
    - apiVersion: autoscaling/v2
      kind: HorizontalPodAutoscaler
      metadata: { name: web }
      spec:
        scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
        minReplicas: 1
        maxReplicas: 10
        metrics:
          - type: Object
            object:
              describedObject: { apiVersion: networking.k8s.io/v1, kind: Ingress, name: main }
              metric: { name: requests_per_second }
              target: { type: Value, value: "100" }
        behavior:
          scaleUp: { stabilizationWindowSeconds: 0 }
          scaleDown: { stabilizationWindowSeconds: 0 }
`;
}

test('an Object metric with a Value target: ceil(ready pods x value / target), inside the tolerance nothing moves', () => {
  const obs = new MemoryObserver();
  runScenario(loadScenarioText(objectScenario(), 'hpa-object.yaml').scenario, obs);
  // 100 / 100 = 1.0 on every sync but one; at 150.015 s: 2 ready pods x 150 / 100 = 3.
  const got = rescales(obs);
  assert.deepEqual(
    got.map(({ time, size }) => ({ time, size })),
    [{ time: Number((FIRST_SYNC + 135 + SCALE_ANSWER).toFixed(6)), size: 3 }],
  );
  assert.equal(got[0]!.reason, 'Ingress metric requests_per_second above target');
  const value = obs.series('HorizontalPodAutoscaler', 'web', 'requests_per_second_value');
  assert.equal(value.find((s) => s.time === 155)!.value, 150);
  assert.equal(value.find((s) => s.time === 200)!.value, 100);
});

test('an HPA on a metric the scenario does not define reports FailedGetExternalMetric, as with no adapter', () => {
  const yaml = objectScenario().replace(
    /- type: Object[\s\S]*?target: \{ type: Value, value: "100" \}/,
    '- type: External\n            external: { metric: { name: missing }, target: { type: AverageValue, averageValue: "1" } }',
  );
  const obs = new MemoryObserver();
  runScenario(loadScenarioText(yaml, 'hpa-missing.yaml').scenario, obs);
  const failed = obs.eventsWith('FailedGetExternalMetric');
  assert.ok(failed.length > 0);
  assert.match(failed[0]!.message, /no metrics returned from external metrics API/);
  assert.equal(obs.eventsWith('SuccessfulRescale').length, 0);
});

test('spec.metrics errors name the path', () => {
  const bad = (extra: string, path: RegExp) => {
    const yaml = objectScenario().replace(/  metrics:\n[\s\S]*?value: \[\{ at: 135s[^\n]*\n/, extra);
    assert.throws(
      () => loadScenarioText(yaml, 'bad.yaml'),
      (e: unknown) => e instanceof ScenarioError && path.test(e.message),
    );
  };
  bad('  metrics:\n    external: [{ name: q, value: [{ at: 2m, value: 1 }, { at: 1m, value: 2 }] }]\n', /spec\.metrics\.external\[0\]\.value\[1\]\.at/);
  bad('  metrics:\n    external: [{ name: q, value: "lots" }]\n', /spec\.metrics\.external\[0\]\.value/);
  bad('  metrics:\n    object: [{ metric: m, value: 1 }]\n', /spec\.metrics\.object\[0\].*describedObject/);
  bad('  metrics:\n    scrapeInterval: -5s\n', /spec\.metrics\.scrapeInterval/);
  bad('  metrics:\n    external: [{ name: q, value: 1, colour: red }]\n', /spec\.metrics\.external\[0\].*colour/);
});
