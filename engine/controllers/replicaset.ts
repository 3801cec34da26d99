/**
 * The ReplicaSet controller (pkg/controller/replicaset/replica_set.go): keeps `spec.replicas`
 * active pods matching the template, creating and deleting through the API server, with
 * upstream's expectations (engine/controllers/owned-pods.ts).
 */
import type { ClusterContext } from '../api/context.js';
import { ownerRef } from '../api/owners.js';
import { deletePod, isPodActive, isPodReady } from '../api/pod-lifecycle.js';
import { objectKey } from '../api/store.js';
import type { Pod, ReplicaSet } from '../api/types.js';
import { OwnedPods } from './owned-pods.js';
import { WorkQueue } from './work-queue.js';

export class ReplicaSetController {
  private readonly queue: WorkQueue;
  private readonly owned = new OwnedPods('ReplicaSet');

  constructor(private readonly ctx: ClusterContext) {
    this.queue = new WorkQueue(ctx.sim, (key) => this.sync(key));
    ctx.api.watch('ReplicaSet', (type, rs) => {
      const key = objectKey(rs.metadata.namespace, rs.metadata.name);
      if (type === 'DELETED') this.owned.forget(key);
      this.queue.add(key);
    });
    ctx.api.watch('Pod', (type, pod) => this.onPod(type, pod));
  }

  get workQueue(): WorkQueue {
    return this.queue;
  }

  private onPod(type: 'ADDED' | 'MODIFIED' | 'DELETED', pod: Pod): void {
    const key = this.owned.observe(type, pod);
    if (key) this.queue.add(key);
  }

  private sync(key: string): void {
    const [namespace, name] = key.split('/') as [string, string];
    const rs = this.ctx.api.get('ReplicaSet', namespace, name);
    if (!rs) return;
    const owned = this.owned.of(rs.metadata.uid!);
    const active = owned.filter(isPodActive);
    this.updateStatus(rs, owned);
    if (!this.owned.satisfied(key)) return;
    const diff = active.length - (rs.spec.replicas ?? 1);
    if (diff < 0) this.createPods(rs, key, -diff);
    else if (diff > 0) this.deletePods(rs, key, active, diff);
  }

  private createPods(rs: ReplicaSet, key: string, count: number): void {
    this.owned.expect(key, count);
    for (let i = 0; i < count; i++) {
      const template = structuredClone(rs.spec.template);
      const pod: Pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: '',
          generateName: `${rs.metadata.name}-`,
          namespace: rs.metadata.namespace,
          labels: { ...(template.metadata?.labels ?? {}) },
          annotations: { ...(template.metadata?.annotations ?? {}) },
          ownerReferences: [ownerRef(rs)],
        },
        spec: template.spec,
        status: { phase: 'Pending' },
      };
      // A refused create will never be seen by the watch: lower the expectation now, as upstream does.
      const podName = this.ctx.api.create(pod, (result, _pod, message) => {
        if (result === 'ok') return;
        if (message) this.ctx.event('Warning', 'FailedCreate', rs, `Error creating: ${message}`);
        this.creationFailed(key);
      });
      this.ctx.event('Normal', 'SuccessfulCreate', rs, `Created pod: ${podName}`);
    }
  }

  private creationFailed(key: string): void {
    this.owned.creationFailed(key);
    this.queue.addRateLimited(key);
  }

  private deletePods(rs: ReplicaSet, key: string, active: Pod[], count: number): void {
    const victims = rankForDeletion(active).slice(0, count);
    this.owned.expect(key, 0, victims.map((p) => p.metadata.name));
    for (const pod of victims) {
      deletePod(this.ctx, pod);
      this.ctx.event('Normal', 'SuccessfulDelete', rs, `Deleted pod: ${pod.metadata.name}`);
    }
  }

  /**
   * replicas, readyReplicas and availableReplicas (ready for at least minReadySeconds,
   * podutil.IsPodAvailable). A pod that will become available later brings the ReplicaSet back
   * to the queue at that instant, as upstream's AddAfter does.
   */
  private updateStatus(rs: ReplicaSet, owned: Pod[]): void {
    const now = this.ctx.sim.now;
    const minReady = rs.spec.minReadySeconds ?? 0;
    const active = owned.filter(isPodActive);
    let readyReplicas = 0;
    let availableReplicas = 0;
    let nextAvailable = Infinity;
    for (const pod of active) {
      if (!isPodReady(pod)) continue;
      readyReplicas++;
      const readySince = pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime ?? now;
      if (readySince + minReady <= now) availableReplicas++;
      else nextAvailable = Math.min(nextAvailable, readySince + minReady);
    }
    if (nextAvailable < Infinity) {
      const key = objectKey(rs.metadata.namespace, rs.metadata.name);
      this.ctx.sim.schedule(nextAvailable, () => this.queue.add(key));
    }
    const status = { replicas: active.length, readyReplicas, availableReplicas, observedGeneration: rs.metadata.generation ?? 1 };
    const s = rs.status ?? {};
    if (
      s.replicas === status.replicas &&
      s.readyReplicas === status.readyReplicas &&
      s.availableReplicas === status.availableReplicas &&
      s.observedGeneration === status.observedGeneration
    ) {
      return;
    }
    this.ctx.api.update('ReplicaSet', rs.metadata.namespace, rs.metadata.name, (r) => {
      r.status = status;
    });
  }
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * Scale-down victims first, as upstream ranks them (pkg/controller/controller_utils.go
 * ActivePodsWithRanks.Less): unassigned before assigned; Pending < Unknown < Running; not ready
 * before ready; pods sharing a node with more of their siblings first; ready for less time
 * first; newer first. Equal pods fall back to name order so the choice is deterministic.
 */
export function rankForDeletion(pods: Pod[]): Pod[] {
  const perNode = new Map<string, number>();
  for (const p of pods) if (p.spec.nodeName) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
  const readySince = (p: Pod) => p.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True')?.lastTransitionTime ?? 0;
  return pods.slice().sort((a, b) => {
    const assignedA = a.spec.nodeName ? 1 : 0;
    const assignedB = b.spec.nodeName ? 1 : 0;
    if (assignedA !== assignedB) return assignedA - assignedB;
    const phaseA = PHASE_RANK[a.status?.phase ?? 'Pending'] ?? 0;
    const phaseB = PHASE_RANK[b.status?.phase ?? 'Pending'] ?? 0;
    if (phaseA !== phaseB) return phaseA - phaseB;
    const readyA = isPodReady(a) ? 1 : 0;
    const readyB = isPodReady(b) ? 1 : 0;
    if (readyA !== readyB) return readyA - readyB;
    const colocA = a.spec.nodeName ? perNode.get(a.spec.nodeName)! : 0;
    const colocB = b.spec.nodeName ? perNode.get(b.spec.nodeName)! : 0;
    if (colocA !== colocB) return colocB - colocA;
    if (readyA === 1) {
      const sinceA = readySince(a);
      const sinceB = readySince(b);
      if (sinceA !== sinceB) return sinceB - sinceA;
    }
    const createdA = a.metadata.creationTimestamp ?? 0;
    const createdB = b.metadata.creationTimestamp ?? 0;
    if (createdA !== createdB) return createdB - createdA;
    return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
  });
}
