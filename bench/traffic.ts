/**
 * traffic/1h-1000rps: the data path at scale. One simulated hour of Poisson traffic at 1,000
 * requests/s through NodePorts of 20 nodes in iptables mode, to a 40-replica Deployment,
 * every request going through kube-proxy's rules, a pod queue and back (3.6 M requests).
 * Each run is a child process, so its peak RSS (getrusage maxrss) is its own; a second,
 * two-hour run checks that memory does not grow with simulated duration (target: within 1.2x).
 * Target: <= 10 s wall for the hour.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ScenarioRun } from '../engine/run.js';
import { NULL_OBSERVER } from '../engine/metrics/observer.js';
import { loadScenarioText } from '../engine/scenario/loader.js';

export const TRAFFIC_WALL_TARGET = 10;
export const TRAFFIC_RSS_GROWTH_TARGET = 1.2;

export function trafficScenarioYaml(duration: string): string {
  return `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: { name: traffic-bench }
spec:
  duration: ${duration}
  sampleInterval: 10s
  kubeProxy: { mode: iptables }
  cluster:
    nodes:
      - { pool: w, count: 20, namePattern: "w{i}", ipStart: 10.0.0.11, capacity: { cpu: "8", memory: 16Gi, pods: 110 } }
  manifests:
    - apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 40
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web }, annotations: { serving.kubesim.dev/workers: "8" } }
          spec:
            containers: [{ name: web, image: nginx:1.27, resources: { requests: { cpu: 500m, memory: 256Mi } } }]
    - apiVersion: v1
      kind: Service
      metadata: { name: web }
      spec: { type: NodePort, selector: { app: web }, ports: [{ port: 80 }] }
  load:
    - name: users
      target: { service: web, via: NodePort }
      arrivals: { type: poisson, rate: 1000 }
      serviceTime: { dist: lognormal, mean: 20ms, p99: 120ms }
      start: 30s
`;
}

export interface TrafficRunResult {
  wallSeconds: number;
  peakRssMB: number;
  requests: number;
}

/** Runs the scenario in this process (the child's side). */
function runHere(duration: string): TrafficRunResult {
  const { scenario } = loadScenarioText(trafficScenarioYaml(duration), 'traffic-bench.yaml');
  const start = performance.now();
  const result = new ScenarioRun(scenario, NULL_OBSERVER).finish();
  const wallSeconds = (performance.now() - start) / 1000;
  return { wallSeconds, peakRssMB: process.resourceUsage().maxRSS / 1024, requests: result.summary.get('requests')! };
}

function runChild(duration: string): TrafficRunResult {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--traffic-child', duration], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as TrafficRunResult;
}

export interface TrafficBenchmark {
  name: 'traffic/1h-1000rps';
  wallSeconds: number;
  peakRssMB: number;
  peakRssMB2h: number;
  rssGrowth: number;
  requests: number;
}

export function runTrafficBenchmark(quick: boolean): TrafficBenchmark {
  const [one, two] = quick ? ['6m', '12m'] : ['1h', '2h'];
  const a = runChild(one);
  const b = runChild(two);
  return {
    name: 'traffic/1h-1000rps',
    wallSeconds: Number(a.wallSeconds.toFixed(2)),
    peakRssMB: Math.round(a.peakRssMB),
    peakRssMB2h: Math.round(b.peakRssMB),
    rssGrowth: Number((b.peakRssMB / a.peakRssMB).toFixed(3)),
    requests: a.requests,
  };
}

if (process.argv[2] === '--traffic-child' && process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(runHere(process.argv[3]!))}\n`);
}
