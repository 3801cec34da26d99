/**
 * What the data plane's load-balancer controllers know of the Nodes: each node's labels and
 * taints, by node index, as the Node watch last showed them. The cloud service controller
 * (service-controller.ts) and MetalLB's speakers (metallb-config.ts) read them, and are told
 * when a node's labels or taints change, as their informers' update handlers are
 * (cloud-provider controllers/service/controller.go, MetalLB's node reconciler), so that
 * `kubectl label` and `kubectl taint` take effect during a run. Other Node updates (the Ready
 * condition, heartbeats) are not passed on.
 *
 * It starts from the scenario's nodes, which the API server creates at time zero with exactly
 * these labels and taints: the first watch events change nothing.
 */
import type { ApiServer } from '../api/store.js';
import type { Labels, Taint } from '../api/types.js';

export interface NodeFacts {
  labels: Labels;
  taints: readonly Taint[];
}

export class NodeInformer {
  private readonly facts: NodeFacts[];
  private readonly index: ReadonlyMap<string, number>;
  private readonly shapes: string[];
  private readonly listeners: ((node: number) => void)[] = [];

  constructor(
    api: ApiServer,
    readonly nodeNames: readonly string[],
    initial: readonly NodeFacts[],
  ) {
    this.facts = initial.map((n) => ({ labels: { ...n.labels }, taints: n.taints.map((t) => ({ ...t })) }));
    this.shapes = this.facts.map(shapeOf);
    this.index = new Map(nodeNames.map((n, i) => [n, i]));
    api.watch('Node', (type, node) => {
      const i = this.index.get(node.metadata.name);
      if (i === undefined || type === 'DELETED') return;
      const facts = { labels: { ...(node.metadata.labels ?? {}) }, taints: (node.spec.taints ?? []).map((t) => ({ ...t })) };
      const shape = shapeOf(facts);
      if (shape === this.shapes[i]) return;
      this.facts[i] = facts;
      this.shapes[i] = shape;
      for (const l of this.listeners) l(i);
    });
  }

  /** Called with the node's index after its labels or taints changed. */
  onChange(listener: (node: number) => void): void {
    this.listeners.push(listener);
  }

  labels(node: number): Labels {
    return this.facts[node]!.labels;
  }

  taints(node: number): readonly Taint[] {
    return this.facts[node]!.taints;
  }

  /** Every node with its name, labels and taints, in node order. */
  all(): { name: string; labels: Labels; taints: readonly Taint[] }[] {
    return this.facts.map((f, i) => ({ name: this.nodeNames[i]!, labels: f.labels, taints: f.taints }));
  }
}

/** Labels and taint keys/values/effects, order-independent for labels (timeAdded is not a change). */
function shapeOf(f: NodeFacts): string {
  const labels = Object.keys(f.labels)
    .sort()
    .map((k) => `${k}=${f.labels[k]}`)
    .join('\n');
  const taints = f.taints.map((t) => `${t.key}=${t.value ?? ''}:${t.effect}`).join('\n');
  return `${labels}\n--\n${taints}`;
}
