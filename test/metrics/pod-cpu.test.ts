/**
 * Pod CPU from the traffic model (engine/workload/pod-servers.ts), read as the per-pod
 * `cpu_usage_millicores` rows: a request burns cpu-per-request cores while served, the app
 * idles at cpu-idle, and the pod's CPU limit caps the rate. With a constant 10 requests/s of
 * exactly 50 ms each (never two at once), the expected usage is hand-computed.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { runScenario } from '../../engine/run.js';
import { loadScenarioText } from '../../engine/scenario/loader.js';
import { MemoryObserver } from '../helpers/memory-observer.js';

function steadyCpu(annotations: string, resources: string): number[] {
  const yaml = `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: { name: cpu }
spec:
  duration: 1m
  sampleInterval: 5s
  cluster:
    nodes: [{ name: n1, ip: 10.0.0.1 }]
  manifests:
    - apiVersion: apps/v1
      kind: Deployment
      metadata: { name: app }
      spec:
        replicas: 1
        selector: { matchLabels: { app: app } }
        template:
          metadata: { labels: { app: app }, annotations: ${annotations} }
          spec:
            containers: [{ name: app, image: app:1, resources: ${resources} }]
    - apiVersion: v1
      kind: Service
      metadata: { name: app }
      spec: { selector: { app: app }, ports: [{ port: 80 }] }
  load:
    - { name: users, target: { service: app, via: ClusterIP }, arrivals: { type: constant, rate: 10 }, serviceTime: 50ms, start: 10s }
`;
  const obs = new MemoryObserver();
  runScenario(loadScenarioText(yaml, 'cpu.yaml').scenario, obs);
  return obs.samples.filter((s) => s.kind === 'Pod' && s.metric === 'cpu_usage_millicores' && s.time >= 20).map((s) => s.value);
}

function assertAll(values: number[], expected: number, tolerance: number): void {
  assert.ok(values.length >= 8);
  for (const v of values) assert.ok(Math.abs(v - expected) <= tolerance, `${v} vs ${expected}`);
}

test('by default a request burns one core while served: 10/s x 50 ms = 500m', () => {
  // 50 requests per 5 s sample, +-1 at the edges: +-10m.
  assertAll(steadyCpu('{}', '{ requests: { cpu: 100m } }'), 500, 10);
});

test('cpu-per-request and cpu-idle: 10m + 10/s x 50 ms x 200m = 110m', () => {
  assertAll(steadyCpu('{ serving.kubesim.dev/cpu-per-request: 200m, serving.kubesim.dev/cpu-idle: 10m }', '{}'), 110, 2);
});

test('the CPU limit caps the rate: 10/s x 50 ms of one-core work offers 500m, CFS quota holds the pod at its 300m limit', () => {
  // Throttled, each request's 50 ms of CPU work takes 50/0.3 ms, so work backs up and the pod stays at the limit.
  assertAll(steadyCpu('{}', '{ limits: { cpu: 300m } }'), 300, 3);
});

test('an invalid cpu-per-request annotation is a path-addressed error', () => {
  const yaml = `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: { name: cpu }
spec:
  cluster: { nodes: [{ name: n1, ip: 10.0.0.1 }] }
  manifests:
    - apiVersion: v1
      kind: Pod
      metadata: { name: p, annotations: { serving.kubesim.dev/cpu-per-request: "-1" } }
      spec: { containers: [{ name: app, image: app:1 }] }
`;
  assert.throws(() => loadScenarioText(yaml, 'cpu.yaml'), /cpu\.yaml: spec\.manifests\[0\]\.metadata\.annotations\["serving\.kubesim\.dev\/cpu-per-request"\]: expected a CPU quantity/);
});
