/**
 * The framework's fast paths give the answers of the plain ones, on random clusters:
 *  - every in-tree score plugin's `scoreNodes` equals its `score` called on each node;
 *  - the snapshot's per-domain pod counts (TopologyCounts) equal the sums over the nodes'
 *    label counts after any sequence of binds, removals, terminations and node relabels;
 *  - PodTopologySpread's filter decisions with the counts equal a per-node recount.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Node, Pod } from '../../engine/api/types.js';
import { buildProfile } from '../../engine/scheduler/profile.js';
import { IN_TREE_REGISTRY } from '../../engine/scheduler/registry.js';
import { PodInfo } from '../../engine/scheduler/node-info.js';
import { Snapshot } from '../../engine/scheduler/snapshot.js';
import { CycleState } from '../../engine/scheduler/types.js';
import { countPodsMatchSelector } from '../../engine/scheduler/helpers.js';
import { makeNode, makePod } from './helpers.js';

const ZONE = 'topology.kubernetes.io/zone';

interface World {
  nodes: { zone: number; cpu: number; taint: boolean; image: boolean }[];
  pods: { app: number; node: number; cpu: number; mem: number; spread: number; preferred: boolean; terminating: boolean }[];
}

const world = fc.record({
  nodes: fc.array(fc.record({ zone: fc.integer({ min: -1, max: 3 }), cpu: fc.integer({ min: 1, max: 16 }), taint: fc.boolean(), image: fc.boolean() }), { minLength: 1, maxLength: 12 }),
  pods: fc.array(
    fc.record({
      app: fc.integer({ min: 0, max: 3 }),
      node: fc.nat(),
      cpu: fc.integer({ min: 0, max: 3000 }),
      mem: fc.integer({ min: 0, max: 4096 }),
      spread: fc.integer({ min: 0, max: 3 }),
      preferred: fc.boolean(),
      terminating: fc.boolean(),
    }),
    { maxLength: 30 },
  ),
});

function nodeOf(n: World['nodes'][number], i: number): Node {
  const labels: Record<string, string> = n.zone >= 0 ? { [ZONE]: `z${n.zone}` } : {};
  return makeNode(`n${i}`, { cpu: String(n.cpu), memory: '16Gi' }, {
    labels,
    taints: n.taint ? [{ key: 'k', value: 'v', effect: 'PreferNoSchedule' }] : undefined,
    images: n.image ? [{ names: ['img:1'], sizeBytes: 300 * 1024 * 1024 }] : undefined,
  });
}

function podOf(p: World['pods'][number], i: number): Pod {
  const requests = p.cpu || p.mem ? [{ cpu: `${p.cpu}m`, memory: `${p.mem}Mi` }] : [];
  const pod = makePod(requests, { name: `p${i}`, labels: { app: `a${p.app}` } });
  pod.spec.containers[0]!.image = 'img:1';
  const spec = pod.spec as Pod['spec'] & Record<string, unknown>;
  if (p.spread) {
    spec.topologySpreadConstraints = [
      { maxSkew: p.spread, topologyKey: ZONE, whenUnsatisfiable: p.spread === 3 ? 'ScheduleAnyway' : 'DoNotSchedule', labelSelector: { matchLabels: { app: `a${p.app}` } } },
    ];
  }
  if (p.preferred) {
    spec.affinity = { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 7, preference: { matchExpressions: [{ key: ZONE, operator: 'In', values: ['z1'] }] } }] } };
  }
  return pod;
}

function build(w: World): { snap: Snapshot; infos: PodInfo[] } {
  const snap = new Snapshot();
  w.nodes.forEach((n, i) => snap.upsertNode(nodeOf(n, i)));
  const infos = w.pods.map((p, i) => new PodInfo(podOf(p, i)));
  infos.forEach((info, i) => {
    const p = w.pods[i]!;
    snap.addPod(info, `n${p.node % w.nodes.length}`);
    if (p.terminating) {
      info.pod.metadata.deletionTimestamp = 1;
      snap.markTerminating(info.key);
    }
  });
  return { snap, infos };
}

/** The invariant of TopologyCounts, recomputed from scratch. */
function checkCounts(snap: Snapshot): void {
  const ki = snap.topology.index(ZONE);
  const domains = new Map<string, number>();
  const pods = new Map<string, Map<string, number>>();
  for (const node of snap.nodes) {
    if (!Object.hasOwn(node.labels, ZONE)) continue;
    const v = node.labels[ZONE]!;
    domains.set(v, (domains.get(v) ?? 0) + 1);
    for (const [k, n] of node.labelCounts) {
      const m = pods.get(k) ?? pods.set(k, new Map()).get(k)!;
      m.set(v, (m.get(v) ?? 0) + n);
    }
  }
  assert.deepEqual(new Map([...ki.domains].sort()), new Map([...domains].sort()));
  assert.equal(ki.nodesWithKey, [...domains.values()].reduce((a, b) => a + b, 0));
  const norm = (m: Map<string, Map<string, number>>) => [...m].map(([k, vs]) => [k, [...vs].filter(([, n]) => n !== 0).sort()] as const).filter(([, vs]) => vs.length).sort();
  assert.deepEqual(norm(ki.pods), norm(pods));
}

test('property: scoreNodes equals score on every node, for every in-tree score plugin', () => {
  const profile = buildProfile({ schedulerName: 's' }, IN_TREE_REGISTRY);
  const most = buildProfile(
    { schedulerName: 'm', pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'memory', weight: 3 }, { name: 'cpu', weight: 1 }] } } }] },
    IN_TREE_REGISTRY,
  );
  fc.assert(
    fc.property(world, fc.nat(), (w, k) => {
      const { snap } = build(w);
      const incoming = new PodInfo(podOf({ ...w.pods[0], app: k % 4, node: 0, cpu: (k * 37) % 2000, mem: k % 900, spread: k % 4, preferred: k % 2 === 0, terminating: false }, 999));
      for (const p of [...profile.points.score, ...most.points.score]) {
        const state = new CycleState(snap);
        if (p.preScore?.(state, incoming, snap.nodes)?.code === 'Skip') continue;
        const one = snap.nodes.map((n) => p.score!(state, incoming, n));
        const all = new Array<number>(snap.nodes.length).fill(-1);
        if (p.scoreNodes) p.scoreNodes(state, incoming, snap.nodes, all);
        else continue;
        assert.deepEqual(all, one, p.name);
      }
    }),
    { numRuns: 150 },
  );
});

test('property: per-domain pod counts stay equal to the sums over nodes through binds, removals and relabels', () => {
  fc.assert(
    fc.property(world, fc.array(fc.tuple(fc.nat(), fc.integer({ min: -1, max: 3 })), { maxLength: 8 }), (w, ops) => {
      const snap = new Snapshot();
      w.nodes.forEach((n, i) => snap.upsertNode(nodeOf(n, i)));
      snap.topology.index(ZONE); // indexed before the pods arrive: maintained from here on
      const { infos } = { infos: w.pods.map((p, i) => new PodInfo(podOf(p, i))) };
      infos.forEach((info, i) => snap.addPod(info, `n${w.pods[i]!.node % w.nodes.length}`));
      checkCounts(snap);
      for (const [which, zone] of ops) {
        if (infos.length && which % 3 === 0) {
          const info = infos[which % infos.length]!;
          info.pod.metadata.deletionTimestamp = 1;
          snap.markTerminating(info.key);
        } else if (infos.length && which % 3 === 1) snap.removePod(infos[which % infos.length]!.key);
        else {
          const i = which % w.nodes.length;
          snap.upsertNode(nodeOf({ ...w.nodes[i]!, zone }, i));
        }
        checkCounts(snap);
      }
      const fresh = build(w).snap;
      checkCounts(fresh);
    }),
    { numRuns: 150 },
  );
});

test('property: PodTopologySpread filters with the domain counts as with a per-node recount', () => {
  const pts = IN_TREE_REGISTRY.get('PodTopologySpread')!(undefined);
  fc.assert(
    fc.property(world, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 3 }), (w, app, maxSkew) => {
      // Every node labelled, so the counts are used.
      const labelled = { ...w, nodes: w.nodes.map((n) => ({ ...n, zone: n.zone < 0 ? 0 : n.zone })) };
      const { snap } = build(labelled);
      const incoming = new PodInfo(podOf({ app, node: 0, cpu: 0, mem: 0, spread: maxSkew === 3 ? 2 : maxSkew, preferred: false, terminating: false }, 999));
      const state = new CycleState(snap);
      if (pts.preFilter!(state, incoming)?.code === 'Skip') return;
      const skew = maxSkew === 3 ? 2 : maxSkew;
      const selector = { matchLabels: { app: `a${app}` } };
      const byZone = new Map<string, number>();
      for (const node of snap.nodes) byZone.set(node.labels[ZONE]!, (byZone.get(node.labels[ZONE]!) ?? 0) + countPodsMatchSelector(node, selector, 'default', undefined));
      const min = Math.min(...byZone.values());
      for (const node of snap.nodes) {
        const expected = byZone.get(node.labels[ZONE]!)! + 1 - min <= skew;
        assert.equal(pts.filter!(state, incoming, node) === null, expected, node.name);
      }
    }),
    { numRuns: 150 },
  );
});
