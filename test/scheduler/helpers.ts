/**
 * Builders in the style of upstream's st.MakeNode()/st.MakePod() (pkg/scheduler/testing), and a
 * runner for one score plugin over a set of nodes (PreScore, Score, NormalizeScore), so test
 * cases transcribe from the upstream tables line by line.
 */
import type { Node, Pod } from '../../engine/api/types.js';
import { PodInfo } from '../../engine/scheduler/node-info.js';
import { Snapshot } from '../../engine/scheduler/snapshot.js';
import { CycleState, type Plugin } from '../../engine/scheduler/types.js';

export function makeNode(name: string, capacity: Record<string, string> = {}, extra: Partial<Node['spec']> & { labels?: Record<string, string>; images?: { names: string[]; sizeBytes: number }[] } = {}): Node {
  const { labels, images, ...spec } = extra;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
    spec,
    status: { capacity, allocatable: { pods: '110', ...capacity }, addresses: [], ...(images ? { images } : {}) } as Node['status'],
  };
}

let podCounter = 0;

/** A pod with one container per entry of `requests` (st.MakePod().Req(...).Req(...)). */
export function makePod(requests: Record<string, string>[] = [], extra: Partial<Pod['spec']> & { name?: string; labels?: Record<string, string>; nodeName?: string; namespace?: string } = {}): Pod {
  const { name, labels, namespace, ...spec } = extra;
  const containers = requests.length
    ? requests.map((r, i) => ({ name: `c${i}`, image: 'pause', resources: { requests: r } }))
    : [{ name: 'c0', image: 'pause' }];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: name ?? `pod-${++podCounter}`, namespace: namespace ?? 'default', labels },
    spec: { containers, ...spec },
  };
}

export function snapshotOf(nodes: Node[], existing: Pod[] = []): Snapshot {
  const snap = new Snapshot();
  for (const n of nodes) snap.upsertNode(n);
  for (const p of existing) snap.addPod(new PodInfo(p), p.spec.nodeName!);
  return snap;
}

/** Runs `plugin`'s PreScore, Score and NormalizeScore on every node; null when PreScore skips. */
export function runScore(plugin: Plugin, pod: Pod, nodes: Node[], existing: Pod[] = []): number[] | null {
  const snap = snapshotOf(nodes, existing);
  const state = new CycleState(snap);
  const info = new PodInfo(pod);
  const s = plugin.preScore?.(state, info, snap.nodes);
  if (s?.code === 'Skip') return null;
  const scores = snap.nodes.map((n) => plugin.score!(state, info, n));
  plugin.normalizeScore?.(state, info, snap.nodes, scores);
  return scores;
}

/** Runs PreFilter then Filter on every node: null for a fit, else the status code and message. */
export function runFilter(plugin: Plugin, pod: Pod, nodes: Node[], existing: Pod[] = []): ({ code: string; message: string } | null)[] {
  const snap = snapshotOf(nodes, existing);
  const state = new CycleState(snap);
  const info = new PodInfo(pod);
  const pre = plugin.preFilter?.(state, info);
  if (pre?.code === 'Skip') return snap.nodes.map(() => null);
  if (pre && pre.code !== 'Success') return snap.nodes.map(() => ({ code: pre.code, message: pre.message }));
  return snap.nodes.map((n) => {
    const s = plugin.filter!(state, info, n);
    return s ? { code: s.code, message: s.message } : null;
  });
}
