/**
 * schedule/5000nodes: the default profile placing 150,000 pods with requests on 5,000 nodes
 * (3 zones), a tenth of them with a zone topology spread constraint and a tenth with node
 * affinity, one after another, each bound before the next (as kube-scheduler does). Reports
 * pods per second of wall time. For scale: kube-scheduler's own scheduler_perf tests expect
 * about 700-800 pods/s at 5,000 nodes.
 */
import type { Node, Pod } from '../engine/api/types.js';
import { createStream } from '../engine/core/rng.js';
import { buildProfiles, DEFAULT_SCHEDULER_CONFIG } from '../engine/scheduler/config.js';
import { Framework } from '../engine/scheduler/framework.js';
import { PodInfo } from '../engine/scheduler/node-info.js';
import { Snapshot } from '../engine/scheduler/snapshot.js';

export interface ScheduleBenchResult {
  name: string;
  podsPerSecond: number;
  pods: number;
  nodes: number;
  scheduled: number;
}

const ZONES = ['zone-a', 'zone-b', 'zone-c'];

function node(i: number): Node {
  const name = `node-${i}`;
  const capacity = { cpu: '32', memory: '128Gi', pods: '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': ZONES[i % 3]!, tier: i % 2 ? 'general' : 'compute' } },
    spec: {},
    status: { capacity, allocatable: capacity, addresses: [] },
  };
}

function pod(i: number): Pod {
  const app = `app-${i % 50}`;
  const spec: Pod['spec'] = {
    containers: [{ name: 'c', image: `registry.example/${app}:1`, resources: { requests: { cpu: `${250 + (i % 4) * 125}m`, memory: `${512 + (i % 3) * 256}Mi` } } }],
  };
  if (i % 10 === 1) {
    spec.topologySpreadConstraints = [{ maxSkew: 5, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app } } }];
  }
  if (i % 10 === 2) {
    spec.affinity = { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['compute'] }] } }] } };
  }
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: `pod-${i}`, namespace: 'default', labels: { app } }, spec };
}

export function runScheduleBenchmark(options: { quick?: boolean } = {}): ScheduleBenchResult {
  const nodeCount = 5000;
  const podCount = options.quick ? 15_000 : 150_000;
  const snapshot = new Snapshot();
  for (let i = 0; i < nodeCount; i++) snapshot.upsertNode(node(i));
  const [profile] = buildProfiles(DEFAULT_SCHEDULER_CONFIG);
  const fw = new Framework(profile!, createStream(1, 'scheduler'), undefined);
  const pods = Array.from({ length: podCount }, (_, i) => pod(i));
  let scheduled = 0;
  const start = performance.now();
  for (const p of pods) {
    const info = new PodInfo(p);
    const r = fw.schedulePod(snapshot, info);
    if (r.node) {
      snapshot.addPod(info, r.node.name);
      scheduled++;
    }
  }
  const seconds = (performance.now() - start) / 1000;
  return { name: 'schedule/5000nodes', podsPerSecond: Math.round(podCount / seconds), pods: podCount, nodes: nodeCount, scheduled };
}
