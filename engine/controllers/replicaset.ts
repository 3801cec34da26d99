/**
 * The ReplicaSet controller (pkg/controller/replicaset/replica_set.go): keeps `spec.replicas`
 * active pods matching the template, creating and deleting through the API server.
 *
 * Expectations (pkg/controller/controller_utils.go ControllerExpectations): after issuing
 * creates or deletes, a ReplicaSet is not synced again until the controller has seen those
 * pods appear or go through its watch; without this a sync in the write-to-watch gap would
 * create the same pods twice.
 */
import type { ClusterContext } from '../api/context.js';
import { controllerOf, ownerRef } from '../api/owners.js';
import { deletePod, isPodActive, isPodReady } from '../api/pod-lifecycle.js';
import { objectKey } from '../api/store.js';
import type { Pod, ReplicaSet } from '../api/types.js';
import { WorkQueue } from './work-queue.js';

interface Expectations {
  adds: number;
  deletes: Set<string>;
}

export class ReplicaSetController {
  private readonly queue: WorkQueue;
  private readonly expectations = new Map<string, Expectations>();
  /** Pods by owning ReplicaSet uid, kept from the watch (the informer's index). */
  private readonly podsByOwner = new Map<string, Map<string, Pod>>();

  constructor(private readonly ctx: ClusterContext) {
    this.queue = new WorkQueue(ctx.sim, (key) => this.sync(key));
    ctx.api.watch('ReplicaSet', (type, rs) => {
      const key = objectKey(rs.metadata.namespace, rs.metadata.name);
      if (type === 'DELETED') this.expectations.delete(key);
      this.queue.add(key);
    });
    ctx.api.watch('Pod', (type, pod) => this.onPod(type, pod));
  }

  get workQueue(): WorkQueue {
    return this.queue;
  }

  private onPod(type: 'ADDED' | 'MODIFIED' | 'DELETED', pod: Pod): void {
    const owner = controllerOf(pod.metadata);
    if (!owner || owner.kind !== 'ReplicaSet') return;
    let pods = this.podsByOwner.get(owner.uid);
    if (!pods) this.podsByOwner.set(owner.uid, (pods = new Map()));
    const podKey = pod.metadata.name;
    const rsKey = objectKey(pod.metadata.namespace, owner.name);
    const exp = this.expectations.get(rsKey);
    if (type === 'DELETED') {
      pods.delete(podKey);
      exp?.deletes.delete(podKey);
    } else {
      if (type === 'ADDED' && !pods.has(podKey) && exp && exp.adds > 0) exp.adds--;
      pods.set(podKey, pod);
      if (pod.metadata.deletionTimestamp !== undefined) exp?.deletes.delete(podKey);
    }
    this.queue.add(rsKey);
  }

  private sync(key: string): void {
    const [namespace, name] = key.split('/') as [string, string];
    const rs = this.ctx.api.get('ReplicaSet', namespace, name);
    const exp = this.expectations.get(key);
    if (!rs) {
      return;
    }
    const owned = [...(this.podsByOwner.get(rs.metadata.uid!)?.values() ?? [])];
    const active = owned.filter(isPodActive);
    this.updateStatus(rs, owned);
    if (exp && (exp.adds > 0 || exp.deletes.size > 0)) return;
    const diff = active.length - (rs.spec.replicas ?? 1);
    if (diff < 0) this.createPods(rs, key, -diff);
    else if (diff > 0) this.deletePods(rs, key, active, diff);
  }

  private createPods(rs: ReplicaSet, key: string, count: number): void {
    this.expectations.set(key, { adds: count, deletes: new Set() });
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
      const podName = this.ctx.api.create(pod, (result) => {
        if (result !== 'ok') this.creationFailed(key);
      });
      this.ctx.event('Normal', 'SuccessfulCreate', rs, `Created pod: ${podName}`);
    }
  }

  private creationFailed(key: string): void {
    const exp = this.expectations.get(key);
    if (exp && exp.adds > 0) exp.adds--;
    this.queue.add(key);
  }

  private deletePods(rs: ReplicaSet, key: string, active: Pod[], count: number): void {
    const victims = rankForDeletion(active).slice(0, count);
    this.expectations.set(key, { adds: 0, deletes: new Set(victims.map((p) => p.metadata.name)) });
    for (const pod of victims) {
      deletePod(this.ctx, pod);
      this.ctx.event('Normal', 'SuccessfulDelete', rs, `Deleted pod: ${pod.metadata.name}`);
    }
  }

  private updateStatus(rs: ReplicaSet, owned: Pod[]): void {
    const active = owned.filter(isPodActive);
    const replicas = active.length;
    const readyReplicas = active.filter(isPodReady).length;
    const status = rs.status ?? {};
    if (status.replicas === replicas && status.readyReplicas === readyReplicas) return;
    this.ctx.api.update('ReplicaSet', rs.metadata.namespace, rs.metadata.name, (r) => {
      r.status = { replicas, readyReplicas };
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
