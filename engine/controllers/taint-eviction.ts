/**
 * The taint eviction controller (pkg/controller/tainteviction/taint_eviction.go, the former
 * NoExecuteTaintManager): a pod on a node with NoExecute taints it does not tolerate is
 * deleted at once; one that tolerates them all is deleted when the shortest tolerationSeconds
 * among the tolerations used runs out (never, when none sets it), counted from when the
 * controller first saw the taint. A taint removed in time cancels the eviction.
 * Event: TaintManagerEviction, "Marking for deletion Pod <namespace>/<name>".
 */
import type { ClusterContext } from '../api/context.js';
import { deletePod } from '../api/pod-lifecycle.js';
import { objectKey } from '../api/store.js';
import { toleratesTaint } from '../api/tolerations.js';
import type { Node, Pod } from '../api/types.js';
import type { EventHandle } from '../core/simulation.js';

interface Scheduled {
  handle: EventHandle;
  createdAt: number;
  fireAt: number;
}

export class TaintEvictionController {
  private readonly scheduled = new Map<string, Scheduled>();
  running = true;

  constructor(private readonly ctx: ClusterContext) {
    ctx.api.watch('Node', (type, node) => {
      if (type === 'DELETED' || !this.running) return;
      for (const pod of ctx.api.list('Pod')) if (pod.spec.nodeName === node.metadata.name) this.process(pod, node);
    });
    ctx.api.watch('Pod', (type, pod) => {
      const key = objectKey(pod.metadata.namespace, pod.metadata.name);
      if (type === 'DELETED') return this.cancel(key);
      if (!this.running || !pod.spec.nodeName) return;
      const node = ctx.api.get('Node', undefined, pod.spec.nodeName);
      if (node) this.process(pod, node);
    });
  }

  private process(pod: Pod, node: Node): void {
    const key = objectKey(pod.metadata.namespace, pod.metadata.name);
    if (pod.metadata.deletionTimestamp !== undefined) return this.cancel(key);
    const taints = (node.spec.taints ?? []).filter((t) => t.effect === 'NoExecute');
    if (taints.length === 0) return this.cancel(key);
    const tolerations = pod.spec.tolerations ?? [];
    let minSeconds = Infinity;
    for (const taint of taints) {
      const used = tolerations.filter((t) => toleratesTaint(t, taint));
      if (used.length === 0) {
        minSeconds = 0;
        break;
      }
      // getMinTolerationTime: the smallest tolerationSeconds among the tolerations used; none set means forever.
      for (const t of used) if (t.tolerationSeconds !== undefined) minSeconds = Math.min(minSeconds, Math.max(0, t.tolerationSeconds));
    }
    if (minSeconds === Infinity) return this.cancel(key);
    const now = this.ctx.sim.now;
    const existing = this.scheduled.get(key);
    const createdAt = existing?.createdAt ?? now;
    const fireAt = createdAt + minSeconds;
    if (existing && existing.fireAt <= fireAt) return;
    this.cancel(key);
    const handle = this.ctx.sim.schedule(Math.max(now, fireAt), () => this.evict(key));
    this.scheduled.set(key, { handle, createdAt, fireAt });
  }

  private evict(key: string): void {
    this.scheduled.delete(key);
    if (!this.running) return;
    const [namespace, name] = key.split('/') as [string, string];
    const pod = this.ctx.api.get('Pod', namespace, name);
    if (!pod || pod.metadata.deletionTimestamp !== undefined) return;
    this.ctx.event('Normal', 'TaintManagerEviction', pod, `Marking for deletion Pod ${key}`);
    deletePod(this.ctx, pod);
  }

  private cancel(key: string): void {
    const s = this.scheduled.get(key);
    if (!s) return;
    this.ctx.sim.cancel(s.handle);
    this.scheduled.delete(key);
  }
}
