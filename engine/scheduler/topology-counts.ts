/**
 * Pods per topology domain, kept up to date as pods bind, leave and begin terminating, so that
 * PodTopologySpread reads the number of pods matching a single-label selector (`app: web`) in
 * each domain instead of visiting every node in every cycle. Upstream sums the same counts once
 * per cycle over all nodes (podtopologyspread/filtering.go calPreFilterState, scoring.go
 * initPreScoreState); kubesim's cycles run one after another on the cache itself, so the sums
 * can be maintained instead of recomputed.
 *
 * A topology key is indexed from the first time it is asked for (one scan of the nodes), then
 * maintained: NodeInfo reports every change of its label counts (the same counts
 * countPodsMatchSelector reads, terminating pods excluded), the Snapshot reports nodes added,
 * relabelled and removed. Invariant: for every indexed key K, value V and label key L,
 * pods(K, L, V) = Σ over nodes counted under K=V of node.labelCounts[L].
 */
import type { NodeInfo } from './node-info.js';

export interface TopologyKeyIndex {
  readonly key: string;
  /** Domain value -> nodes carrying it. */
  readonly domains: Map<string, number>;
  /** Nodes that carry the key at all. */
  nodesWithKey: number;
  /** Label-count key (`namespace\0key=value`) -> domain value -> pods. */
  readonly pods: Map<string, Map<string, number>>;
  /** The value each node was counted under (node labels are live objects, so remembered). */
  readonly valueOf: Map<NodeInfo, string>;
}

function add(pods: Map<string, Map<string, number>>, labelKey: string, value: string, delta: number): void {
  let byValue = pods.get(labelKey);
  if (!byValue) pods.set(labelKey, (byValue = new Map()));
  const n = (byValue.get(value) ?? 0) + delta;
  if (n !== 0) byValue.set(value, n);
  else {
    byValue.delete(value);
    if (byValue.size === 0) pods.delete(labelKey);
  }
}

export class TopologyCounts {
  private readonly indexes: TopologyKeyIndex[] = [];
  private readonly byKey = new Map<string, TopologyKeyIndex>();

  constructor(private readonly nodes: () => readonly NodeInfo[]) {}

  /** The index of a topology key, built on first use. */
  index(key: string): TopologyKeyIndex {
    let ki = this.byKey.get(key);
    if (ki) return ki;
    ki = { key, domains: new Map(), nodesWithKey: 0, pods: new Map(), valueOf: new Map() };
    for (const node of this.nodes()) addNodeTo(ki, node);
    this.byKey.set(key, ki);
    this.indexes.push(ki);
    return ki;
  }

  addNode(node: NodeInfo): void {
    for (const ki of this.indexes) addNodeTo(ki, node);
  }

  removeNode(node: NodeInfo): void {
    for (const ki of this.indexes) {
      const value = ki.valueOf.get(node);
      if (value === undefined) continue;
      ki.valueOf.delete(node);
      const n = ki.domains.get(value)! - 1;
      if (n > 0) ki.domains.set(value, n);
      else ki.domains.delete(value);
      ki.nodesWithKey--;
      for (const [labelKey, count] of node.labelCounts) add(ki.pods, labelKey, value, -count);
    }
  }

  /** A node's count of `labelKey` changed by `delta`. */
  podLabel(node: NodeInfo, labelKey: string, delta: number): void {
    for (let i = 0; i < this.indexes.length; i++) {
      const ki = this.indexes[i]!;
      const value = ki.valueOf.get(node);
      if (value !== undefined) add(ki.pods, labelKey, value, delta);
    }
  }
}

function addNodeTo(ki: TopologyKeyIndex, node: NodeInfo): void {
  if (!Object.hasOwn(node.labels, ki.key)) return;
  const value = node.labels[ki.key]!;
  ki.valueOf.set(node, value);
  ki.domains.set(value, (ki.domains.get(value) ?? 0) + 1);
  ki.nodesWithKey++;
  for (const [labelKey, count] of node.labelCounts) add(ki.pods, labelKey, value, count);
}
