/**
 * A small HPA scenario for tests, as the YAML a user writes, loaded by the real loader: one
 * Deployment (200m CPU request), a ClusterIP Service, an HPA on 50% CPU, and one constant
 * load with a constant service time, so the CPU it burns is known exactly:
 * rate x serviceTime x cpu-per-request (1 core by default).
 */
import { loadScenarioText } from '../../../engine/scenario/loader.js';
import type { Scenario } from '../../../engine/scenario/types.js';

export interface HpaScenarioOptions {
  replicas?: number;
  minReplicas?: number;
  maxReplicas?: number;
  rate?: number;
  serviceTime?: string;
  loadStart?: string;
  loadStop?: string;
  duration?: string;
  seed?: number;
  behavior?: string;
  arrivals?: 'constant' | 'poisson';
}

export function hpaScenario(o: HpaScenarioOptions = {}): Scenario {
  const yaml = `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: { name: hpa-test }
spec:
  seed: ${o.seed ?? 1}
  duration: ${o.duration ?? '15m'}
  sampleInterval: 5s
  cluster:
    nodes:
      - { pool: w, count: 3, namePattern: "w{i}", ipStart: 10.0.0.11, capacity: { cpu: "4", memory: 8Gi, pods: 110 } }
  manifests:
    - apiVersion: apps/v1
      kind: Deployment
      metadata: { name: app }
      spec:
        replicas: ${o.replicas ?? 1}
        selector: { matchLabels: { app: app } }
        template:
          metadata:
            labels: { app: app }
            annotations: { serving.kubesim.dev/workers: "32" }
          spec:
            containers:
              - name: app
                image: registry.k8s.io/hpa-example
                resources: { requests: { cpu: 200m } }
    - apiVersion: v1
      kind: Service
      metadata: { name: app }
      spec: { selector: { app: app }, ports: [{ port: 80 }] }
    - apiVersion: autoscaling/v2
      kind: HorizontalPodAutoscaler
      metadata: { name: app }
      spec:
        scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: app }
        minReplicas: ${o.minReplicas ?? 1}
        maxReplicas: ${o.maxReplicas ?? 10}
        metrics:
          - type: Resource
            resource: { name: cpu, target: { type: Utilization, averageUtilization: 50 } }
${o.behavior ? `        behavior: ${o.behavior}\n` : ''}  load:
    - name: users
      target: { service: app, via: ClusterIP }
      arrivals: { type: ${o.arrivals ?? 'constant'}, rate: ${o.rate ?? 10} }
      serviceTime: ${o.serviceTime ?? '50ms'}
      start: ${o.loadStart ?? '1m'}
      stop: ${o.loadStop ?? '5m'}
`;
  return loadScenarioText(yaml, 'hpa-test.yaml').scenario;
}
