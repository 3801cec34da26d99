/**
 * The taint eviction controller (pkg/controller/tainteviction/taint_eviction.go, the former
 * NoExecuteTaintManager): a pod on a node with NoExecute taints it does not tolerate is
 * deleted at once; one that tolerates them all is deleted when the shortest tolerationSeconds
 * among the tolerations used runs out (never, when none sets it), counted from when the
 * controller first scheduled the eviction. A taint removed in time (by the node lifecycle
 * controller or by `kubectl taint nodes NAME KEY:NoExecute-`) cancels the eviction.
 *
 * As processPodOnNode does, a pending eviction keeps its time when the node's taints change
 * again: a later taint with a shorter toleration does not bring it forward, a taint the pod
 * does not tolerate at all replaces it with an eviction now. Node updates count only when the
 * node's NoExecute taints changed (NodeUpdated).
 * Events: TaintManagerEviction "Marking for deletion Pod <namespace>/<name>", and "Cancelling
 * deletion of Pod <namespace>/<name>" when a pending eviction is cancelled (cancelWorkWithEvent).
 */
import type { ClusterContext } from '../api/context.js';
import { canonicalJson } from '../api/names.js';
import { deletePod } from '../api/pod-lifecycle.js';
import { objectKey } from '../api/store.js';
import { toleratesTaint } from '../api/tolerations.js';
import type { Node, Pod, Taint } from '../api/types.js';
import type { EventHandle } from '../core/simulation.js';

interface Scheduled {
  handle: EventHandle;
  createdAt: number;
}

/** getNoExecuteTaints. */
function noExecuteTaints(node: Node): Taint[] {
  return (node.spec.taints ?? []).filter((t) => t.effect === 'NoExecute');
}

export class TaintEvictionController {
  private readonly scheduled = new Map<string, Scheduled>();
  /** Each node's NoExecute taints as last processed (NodeUpdated ignores updates that leave them as they were). */
  private readonly taintedNodes = new Map<string, string>();
  private active = true;

  constructor(private readonly ctx: ClusterContext) {
    ctx.api.watch('Node', (type, node) => {
      if (type !== 'DELETED' && this.active) this.onNode(node);
    });
    ctx.api.watch('Pod', (type, pod) => {
      const key = objectKey(pod.metadata.namespace, pod.metadata.name);
      if (type === 'DELETED') return this.cancel(key, true);
      if (!this.active || !pod.spec.nodeName) return;
      const node = ctx.api.get('Node', undefined, pod.spec.nodeName);
      if (node) this.process(pod, noExecuteTaints(node));
    });
  }

  /**
   * Stopped with the controller-manager, the pending evictions go with the process (they live in
   * its memory); started again, it lists the nodes afresh, as a restarted controller does, and
   * schedules them again from then.
   */
  get running(): boolean {
    return this.active;
  }

  set running(on: boolean) {
    if (on === this.active) return;
    this.active = on;
    if (!on) {
      for (const s of this.scheduled.values()) this.ctx.sim.cancel(s.handle);
      this.scheduled.clear();
      return;
    }
    this.taintedNodes.clear();
    for (const node of this.ctx.api.list('Node')) this.onNode(node);
  }

  /** NodeUpdated + handleNodeUpdate. */
  private onNode(node: Node): void {
    const taints = noExecuteTaints(node);
    const shape = canonicalJson(taints);
    if (this.taintedNodes.get(node.metadata.name) === shape) return;
    this.taintedNodes.set(node.metadata.name, shape);
    for (const pod of this.ctx.api.list('Pod')) if (pod.spec.nodeName === node.metadata.name) this.process(pod, taints);
  }

  /** processPodOnNode, at the time the controller sees the change. */
  private process(pod: Pod, taints: readonly Taint[]): void {
    const key = objectKey(pod.metadata.namespace, pod.metadata.name);
    // A pod already terminating needs no eviction (kubesim drops it quietly; upstream lets the work run).
    if (pod.metadata.deletionTimestamp !== undefined) return this.cancel(key, false);
    if (taints.length === 0) return this.cancel(key, true);
    const tolerations = pod.spec.tolerations ?? [];
    const now = this.ctx.sim.now;
    let minSeconds = Infinity;
    for (const taint of taints) {
      const used = tolerations.filter((t) => toleratesTaint(t, taint));
      if (used.length === 0) {
        // Not all taints tolerated: whatever was scheduled goes, the pod is deleted now.
        this.cancel(key, true);
        return this.schedule(key, now, now);
      }
      // getMinTolerationTime: the smallest tolerationSeconds among the tolerations used; none set means forever.
      for (const t of used) if (t.tolerationSeconds !== undefined) minSeconds = Math.min(minSeconds, Math.max(0, t.tolerationSeconds));
    }
    if (minSeconds === Infinity) return this.cancel(key, true);
    const triggerTime = now + minSeconds;
    const existing = this.scheduled.get(key);
    let startTime = now;
    if (existing) {
      startTime = existing.createdAt;
      if (startTime + minSeconds < triggerTime) return;
      this.cancel(key, true);
    }
    this.schedule(key, startTime, triggerTime);
  }

  private schedule(key: string, createdAt: number, fireAt: number): void {
    const handle = this.ctx.sim.schedule(fireAt, () => this.evict(key));
    this.scheduled.set(key, { handle, createdAt });
  }

  private evict(key: string): void {
    this.scheduled.delete(key);
    if (!this.active) return;
    const [namespace, name] = key.split('/') as [string, string];
    const pod = this.ctx.api.get('Pod', namespace, name);
    if (!pod || pod.metadata.deletionTimestamp !== undefined) return;
    this.ctx.event('Normal', 'TaintManagerEviction', pod, `Marking for deletion Pod ${key}`);
    deletePod(this.ctx, pod);
  }

  /** CancelWork; with `withEvent`, cancelWorkWithEvent: the event only when an eviction was pending. */
  private cancel(key: string, withEvent: boolean): void {
    const s = this.scheduled.get(key);
    if (!s) return;
    this.ctx.sim.cancel(s.handle);
    this.scheduled.delete(key);
    if (!withEvent) return;
    const [namespace, name] = key.split('/') as [string, string];
    this.ctx.event('Normal', 'TaintManagerEviction', { kind: 'Pod', metadata: { name, namespace } }, `Cancelling deletion of Pod ${key}`);
  }
}
