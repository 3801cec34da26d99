/**
 * Small scenarios for tests, written as the YAML a user would write and loaded through the
 * real loader, so tests exercise the same path as `kubesim run`.
 */
import { ScenarioRun } from '../../engine/run.js';
import { loadScenarioText } from '../../engine/scenario/loader.js';
import { MemoryObserver } from './memory-observer.js';
import type { Scenario } from '../../engine/scenario/types.js';

export interface TestScenarioOptions {
  /** The scenario's metadata.name. */
  name?: string;
  /** false: no control-plane node, the worker pool only. */
  controlPlane?: boolean;
  workers?: number;
  cpu?: string;
  memory?: string;
  /** The name of the Deployment, its `app` label, its container and the Service the load targets. */
  app?: string;
  image?: string;
  replicas?: number;
  rate?: number;
  arrivals?: 'poisson' | 'constant';
  duration?: string;
  sampleInterval?: string;
  serviceTime?: string;
  podWorkers?: number;
  /** null: no queue-capacity annotation (kubesim's default applies). */
  queueCapacity?: number | null;
  requestCpu?: string;
  /** null: no memory request. */
  requestMemory?: string | null;
  /** The Service's type, and how the load reaches it. */
  serviceType?: 'NodePort' | 'ClusterIP';
  /** An autoscaling/v2 HorizontalPodAutoscaler of the Deployment on 50% CPU utilization (`behavior` as a YAML flow map). */
  hpa?: { minReplicas?: number; maxReplicas?: number; behavior?: string };
  /** null: no client timeout in the load (kubesim's default applies). */
  timeout?: string | null;
  loadStart?: string;
  loadStop?: string;
  timeline?: { at: string; run: string }[];
  seed?: number;
  /** More manifests, as YAML list items indented for `spec.manifests` (6 spaces). */
  extraManifests?: string;
}

function hpaManifest(app: string, hpa: NonNullable<TestScenarioOptions['hpa']>): string {
  return `    - apiVersion: autoscaling/v2
      kind: HorizontalPodAutoscaler
      metadata: { name: ${app} }
      spec:
        scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: ${app} }
        minReplicas: ${hpa.minReplicas ?? 1}
        maxReplicas: ${hpa.maxReplicas ?? 10}
        metrics:
          - type: Resource
            resource: { name: cpu, target: { type: Utilization, averageUtilization: 50 } }
${hpa.behavior ? `        behavior: ${hpa.behavior}\n` : ''}`;
}

export function testScenarioYaml(o: TestScenarioOptions = {}): string {
  const timeline = (o.timeline ?? []).map((t) => `    - { at: ${t.at}, run: "${t.run}" }`).join('\n');
  const app = o.app ?? 'web';
  const serviceType = o.serviceType ?? 'NodePort';
  const controlPlane = o.controlPlane ?? true;
  const queueCapacity = o.queueCapacity === undefined ? 50 : o.queueCapacity;
  const requestMemory = o.requestMemory === undefined ? '128Mi' : o.requestMemory;
  const timeout = o.timeout === undefined ? '10s' : o.timeout;
  return `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: { name: ${o.name ?? 'test'} }
spec:
  seed: ${o.seed ?? 1}
  duration: ${o.duration ?? '2m'}
  sampleInterval: ${o.sampleInterval ?? '5s'}
  cluster:
    podCIDR: 10.244.0.0/16
    nodes:
${controlPlane ? '      - { name: cp, ip: 10.0.0.1, role: control-plane, taints: [{ key: node-role.kubernetes.io/control-plane, effect: NoSchedule }] }\n' : ''}\
      - { pool: w, count: ${o.workers ?? 3}, namePattern: "w{i}", ipStart: 10.0.0.11, capacity: { cpu: "${o.cpu ?? '2'}", memory: ${o.memory ?? '4Gi'}, pods: 110 } }
  manifests:
    - apiVersion: apps/v1
      kind: Deployment
      metadata: { name: ${app} }
      spec:
        replicas: ${o.replicas ?? 3}
        selector: { matchLabels: { app: ${app} } }
        template:
          metadata:
            labels: { app: ${app} }
            annotations:
              serving.kubesim.dev/workers: "${o.podWorkers ?? 4}"
${queueCapacity === null ? '' : `              serving.kubesim.dev/queue-capacity: "${queueCapacity}"\n`}\
          spec:
            containers:
              - name: ${app}
                image: ${o.image ?? 'nginx:1.27'}
                resources: { requests: { cpu: ${o.requestCpu ?? '250m'}${requestMemory === null ? '' : `, memory: ${requestMemory}`} } }
    - apiVersion: v1
      kind: Service
      metadata: { name: ${app} }
      spec:
        type: ${serviceType}
        selector: { app: ${app} }
        ports: [{ port: 80 }]
${o.hpa ? hpaManifest(app, o.hpa) : ''}${o.extraManifests ?? ''}  load:
    - name: users
      target: { service: ${app}, via: ${serviceType} }
      arrivals: { type: ${o.arrivals ?? 'poisson'}, rate: ${o.rate ?? 50} }
      serviceTime: ${o.serviceTime ?? '{ dist: exponential, mean: 20ms }'}
${timeout === null ? '' : `      timeout: ${timeout}\n`}\
      start: ${o.loadStart ?? '20s'}
${o.loadStop === undefined ? '' : `      stop: ${o.loadStop}\n`}\
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
