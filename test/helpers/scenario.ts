/**
 * Small scenarios for tests, written as the YAML a user would write and loaded through the
 * real loader, so tests exercise the same path as `kubesim run`.
 */
import { ScenarioRun } from '../../engine/run.js';
import { loadScenarioText } from '../../engine/scenario/loader.js';
import { MemoryObserver } from './memory-observer.js';
import type { Scenario } from '../../engine/scenario/types.js';

export interface TestScenarioOptions {
  workers?: number;
  cpu?: string;
  replicas?: number;
  rate?: number;
  duration?: string;
  sampleInterval?: string;
  serviceTime?: string;
  podWorkers?: number;
  queueCapacity?: number;
  requestCpu?: string;
  timeout?: string;
  loadStart?: string;
  timeline?: { at: string; run: string }[];
  seed?: number;
  /** More manifests, as YAML list items indented for `spec.manifests` (6 spaces). */
  extraManifests?: string;
}

export function testScenarioYaml(o: TestScenarioOptions = {}): string {
  const timeline = (o.timeline ?? []).map((t) => `    - { at: ${t.at}, run: "${t.run}" }`).join('\n');
  return `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: { name: test }
spec:
  seed: ${o.seed ?? 1}
  duration: ${o.duration ?? '2m'}
  sampleInterval: ${o.sampleInterval ?? '5s'}
  cluster:
    podCIDR: 10.244.0.0/16
    nodes:
      - { name: cp, ip: 10.0.0.1, role: control-plane, taints: [{ key: node-role.kubernetes.io/control-plane, effect: NoSchedule }] }
      - { pool: w, count: ${o.workers ?? 3}, namePattern: "w{i}", ipStart: 10.0.0.11, capacity: { cpu: "${o.cpu ?? '2'}", memory: 4Gi, pods: 110 } }
  manifests:
    - apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: ${o.replicas ?? 3}
        selector: { matchLabels: { app: web } }
        template:
          metadata:
            labels: { app: web }
            annotations:
              serving.kubesim.dev/workers: "${o.podWorkers ?? 4}"
              serving.kubesim.dev/queue-capacity: "${o.queueCapacity ?? 50}"
          spec:
            containers:
              - name: web
                image: nginx:1.27
                resources: { requests: { cpu: ${o.requestCpu ?? '250m'}, memory: 128Mi } }
    - apiVersion: v1
      kind: Service
      metadata: { name: web }
      spec:
        type: NodePort
        selector: { app: web }
        ports: [{ port: 80 }]
${o.extraManifests ?? ''}  load:
    - name: users
      target: { service: web, via: NodePort }
      arrivals: { type: poisson, rate: ${o.rate ?? 50} }
      serviceTime: ${o.serviceTime ?? '{ dist: exponential, mean: 20ms }'}
      timeout: ${o.timeout ?? '10s'}
      start: ${o.loadStart ?? '20s'}
  timeline:
${timeline || '    []'}
`.replace('  timeline:\n    []', '  timeline: []');
}

export function testScenario(o: TestScenarioOptions = {}): Scenario {
  return loadScenarioText(testScenarioYaml(o), 'test.yaml').scenario;
}

export interface FinishedRun {
  run: ScenarioRun;
  obs: MemoryObserver;
  summary: ReadonlyMap<string, number>;
}

/** Runs a test scenario to the end, keeping everything it reported. */
export function runTestScenario(o: TestScenarioOptions = {}, overrides: string[] = []): FinishedRun {
  const obs = new MemoryObserver();
  const run = new ScenarioRun(loadScenarioText(testScenarioYaml(o), 'test.yaml', { overrides }).scenario, obs);
  const { summary } = run.finish();
  return { run, obs, summary };
}

/** What kubectl printed during the run (the `Kubectl` / `KubectlError` events), optionally for one verb. */
export function kubectlOutput(obs: MemoryObserver, verb?: string): string[] {
  return obs.events
    .filter((e) => e.reason.startsWith('Kubectl') && (verb === undefined || e.message.startsWith(`kubectl ${verb}`)))
    .map((e) => e.message.slice(e.message.indexOf(': ') + 2));
}
