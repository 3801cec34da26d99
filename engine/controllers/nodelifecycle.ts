/**
 * The node lifecycle controller (pkg/controller/nodelifecycle/node_lifecycle_controller.go):
 * every --node-monitor-period it looks at each node's heartbeat (its Lease in kube-node-lease)
 * and, when none was observed for --node-monitor-grace-period (--node-startup-grace-period
 * for a node never Ready), sets the node's Ready condition to Unknown ("Kubelet stopped
 * posting node status."), records NodeNotReady and marks the node's pods not Ready, which
 * takes them out of Service endpoints. It keeps the node's condition taints in step
 * (TaintNodesByCondition and the NoExecute tainting pass): node.kubernetes.io/unreachable
 * (Ready Unknown) or not-ready (Ready False) as NoSchedule and NoExecute, and
 * node.kubernetes.io/unschedulable:NoSchedule while spec.unschedulable.
 *
 * Heartbeats count from when the controller observed them (upstream's probeTimestamp), not
 * from the time written in them.
 */
import type { ClusterContext } from '../api/context.js';
import { TAINT_NOT_READY, TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE } from '../api/admission.js';
import { setCondition } from '../api/pod-lifecycle.js';
import { NODE_LEASE_NAMESPACE, type Node, type Taint } from '../api/types.js';

interface Health {
  renewTime: number | undefined;
  observedAt: number;
  /** The Ready status seen at the previous monitor pass (NodeReady is recorded on a change to True). */
  ready: 'True' | 'False' | 'Unknown';
}

export function nodeReadyStatus(node: Node): 'True' | 'False' | 'Unknown' {
  return node.status.conditions?.find((c) => c.type === 'Ready')?.status ?? 'Unknown';
}

export class NodeLifecycleController {
  private readonly health = new Map<string, Health>();
  running = true;

  constructor(private readonly ctx: ClusterContext) {
    const period = ctx.defaults.nodeLifecycle.nodeMonitorPeriod;
    const tick = () => {
      if (this.running) this.monitor();
      ctx.sim.after(period, tick);
    };
    ctx.sim.after(period, tick);
    // Taints follow spec.unschedulable and the Ready condition as soon as they change.
    ctx.api.watch('Node', (type, node) => {
      if (type !== 'DELETED' && this.running) this.syncTaints(node);
    });
  }

  private monitor(): void {
    const { api, sim, defaults } = this.ctx;
    const now = sim.now;
    for (const node of api.list('Node')) {
      const name = node.metadata.name;
      const lease = api.get('Lease', NODE_LEASE_NAMESPACE, name);
      const renewTime = lease?.spec.renewTime;
      const ready = nodeReadyStatus(node);
      let h = this.health.get(name);
      if (!h) this.health.set(name, (h = { renewTime, observedAt: now, ready }));
      else if (h.renewTime !== renewTime) {
        h.renewTime = renewTime;
        h.observedAt = now;
      }
      if (ready === 'True' && h.ready !== 'True') this.ctx.event('Normal', 'NodeReady', node, `Node ${name} status is now: NodeReady`);
      h.ready = ready;
      const everReady = node.status.conditions?.some((c) => c.type === 'Ready' && c.lastHeartbeatTime !== undefined) ?? false;
      const grace = everReady ? defaults.nodeLifecycle.nodeMonitorGracePeriod : defaults.nodeLifecycle.nodeStartupGracePeriod;
      if (now - h.observedAt > grace && ready !== 'Unknown') {
        this.markUnknown(node);
        h.ready = 'Unknown';
      }
    }
  }

  private markUnknown(node: Node): void {
    const { api, sim } = this.ctx;
    const now = sim.now;
    api.update('Node', undefined, node.metadata.name, (n) => {
      const c = n.status.conditions?.find((x) => x.type === 'Ready');
      if (!c || c.status === 'Unknown') return false;
      c.status = 'Unknown';
      c.reason = 'NodeStatusUnknown';
      c.message = 'Kubelet stopped posting node status.';
      c.lastTransitionTime = now;
    });
    this.ctx.event('Normal', 'NodeNotReady', node, `Node ${node.metadata.name} status is now: NodeNotReady`);
    // nodeutil.MarkPodsNotReady: the pods of an unresponsive node stop being endpoints.
    for (const pod of api.list('Pod')) {
      if (pod.spec.nodeName !== node.metadata.name) continue;
      api.update('Pod', pod.metadata.namespace, pod.metadata.name, (p) => {
        if (!p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) return false;
        setCondition(p, 'Ready', 'False', now);
      });
    }
  }

  /** The taints a node should carry for its conditions and spec.unschedulable. */
  private syncTaints(node: Node): void {
    const ready = nodeReadyStatus(node);
    const conditionKey = ready === 'Unknown' ? TAINT_UNREACHABLE : ready === 'False' ? TAINT_NOT_READY : undefined;
    const managed = new Set([TAINT_UNREACHABLE, TAINT_NOT_READY, TAINT_UNSCHEDULABLE]);
    const wanted: Taint[] = [];
    if (conditionKey) wanted.push({ key: conditionKey, effect: 'NoSchedule' }, { key: conditionKey, effect: 'NoExecute' });
    if (node.spec.unschedulable) wanted.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
    const current = (node.spec.taints ?? []).filter((t) => managed.has(t.key));
    const same =
      current.length === wanted.length && wanted.every((w) => current.some((c) => c.key === w.key && c.effect === w.effect));
    if (same) return;
    const now = this.ctx.sim.now;
    this.ctx.api.update('Node', undefined, node.metadata.name, (n) => {
      const kept = (n.spec.taints ?? []).filter((t) => !managed.has(t.key));
      const previous = n.spec.taints ?? [];
      const next = wanted.map((w) => {
        const old = previous.find((t) => t.key === w.key && t.effect === w.effect);
        return w.effect === 'NoExecute' ? { ...w, timeAdded: old?.timeAdded ?? now } : w;
      });
      n.spec.taints = [...kept, ...next];
      if (n.spec.taints.length === 0) delete n.spec.taints;
    });
  }
}
