/**
 * The ReplicaSet controller (pkg/controller/replicaset/replica_set.go): keeps `spec.replicas`
 * active pods matching the template, creating and deleting through the API server, with
 * upstream's expectations (engine/controllers/owned-pods.ts), and the events RealPodControl
 * records when the API server answers (engine/controllers/pod-control.ts).
 *
 * The pods it manages are those it claims (claimPods, engine/controllers/controller-ref-manager.ts):
 * its own that still match its selector, and the orphans of its namespace that match, which
 * it adopts. A pod relabelled out of the selector is released (its owner reference removed:
 * it lives on as an orphan, still serving if a Service selects it) and replaced; relabelled
 * back, it is adopted again and the surplus pod deleted (getPodsToDelete,
 * engine/controllers/active-pods-rank.ts).
 */
import type { ClusterContext } from '../api/context.js';
import { matchesSelector } from '../api/labels.js';
import { ownerRef } from '../api/owners.js';
import { isPodActive, isPodReady } from '../api/pod-lifecycle.js';
import { objectKey } from '../api/store.js';
import type { Pod, ReplicaSet } from '../api/types.js';
import { indirectlyRelatedPods, podsToDelete } from './active-pods-rank.js';
import { claimObjects } from './controller-ref-manager.js';
import { controllersSelecting, OwnedPods } from './owned-pods.js';
import { createPod, deleteOwnedPod } from './pod-control.js';
import { SLOW_START_INITIAL_BATCH_SIZE, slowStartBatch } from './slow-start.js';
import { WorkQueue } from './work-queue.js';

export class ReplicaSetController {
  private readonly queue: WorkQueue;
  private readonly owned: OwnedPods;

  constructor(private readonly ctx: ClusterContext) {
    this.queue = new WorkQueue(ctx.sim, (key) => this.sync(key));
    this.owned = new OwnedPods('ReplicaSet', (pod) => this.podReplicaSets(pod));
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
    for (const key of this.owned.observe(type, pod)) this.queue.add(key);
  }

  /**
   * getPodReplicaSets (ReplicaSetLister.GetPodReplicaSets): the ReplicaSets of the pod's
   * namespace whose selector matches it; none for a pod without labels. More than one is a
   * user error upstream only logs ("more than one ReplicaSet is selecting pods"); the first
   * to sync adopts it.
   */
  private podReplicaSets(pod: Pod): string[] {
    return controllersSelecting(this.ctx.api.list('ReplicaSet', pod.metadata.namespace), pod);
  }

  /** syncReplicaSet: claim the active pods, manage the replicas once expectations are met, write the status. */
  private sync(key: string): void {
    const [namespace, name] = key.split('/') as [string, string];
    const rs = this.ctx.api.get('ReplicaSet', namespace, name);
    if (!rs) return;
    const needsSync = this.owned.satisfied(key);
    const active = this.owned.claimable(rs).filter(isPodActive);
    const claim = claimObjects(active, {
      api: this.ctx.api,
      kind: 'Pod',
      controller: rs,
      match: (pod) => matchesSelector(rs.spec.selector, pod.metadata.labels),
      failed: () => this.queue.addRateLimited(key),
    });
    // Adoptions in flight: nothing is managed until the watch shows them (controller-ref-manager.ts).
    if (!claim || claim.adopting > 0) return;
    const { claimed } = claim;
    // The status counts the claimed pods, before this sync's creates and deletes (calculateStatus
    // of filteredPods); it is written first here, which changes nothing it says.
    this.updateStatus(rs, claimed);
    if (!needsSync || rs.metadata.deletionTimestamp !== undefined) return;
    const diff = claimed.length - (rs.spec.replicas ?? 1);
    if (diff < 0) this.createPods(rs, key, -diff);
    else if (diff > 0) this.deletePods(rs, key, claimed, diff);
  }

  /**
   * manageReplicas: the creates go out in slow-start batches (engine/controllers/slow-start.ts);
   * after a batch with a refusal the rest are skipped and no longer expected.
   */
  private createPods(rs: ReplicaSet, key: string, count: number): void {
    this.owned.expect(key, count);
    // Every batch creates from the ReplicaSet as this sync read it.
    const rsTemplate = structuredClone(rs.spec.template);
    const owner = ownerRef(rs);
    const createOne = (answered: (ok: boolean) => void): void => {
      const template = structuredClone(rsTemplate);
      const pod: Pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: '',
          generateName: `${rs.metadata.name}-`,
          namespace: rs.metadata.namespace,
          labels: { ...(template.metadata?.labels ?? {}) },
          annotations: { ...(template.metadata?.annotations ?? {}) },
          ownerReferences: [{ ...owner }],
        },
        spec: template.spec,
        status: { phase: 'Pending' },
      };
      // A refused create will never be seen by the watch: lower the expectation now, as upstream does.
      createPod(this.ctx, rs, pod, () => this.creationFailed(key), answered);
    };
    slowStartBatch(count, SLOW_START_INITIAL_BATCH_SIZE, createOne, (made) => this.owned.creationsSkipped(key, count - made));
  }

  private creationFailed(key: string): void {
    this.owned.creationFailed(key);
    this.queue.addRateLimited(key);
  }

  private deletePods(rs: ReplicaSet, key: string, active: Pod[], count: number): void {
    const victims = podsToDelete(active, indirectlyRelatedPods(this.ctx.api, rs), count, this.ctx.sim.now);
    this.owned.expect(key, 0, victims.map((p) => p.metadata.name));
    for (const pod of victims) {
      // manageReplicas: a refused delete is never observed either; NotFound is not an error of the sync.
      deleteOwnedPod(this.ctx, rs, pod, (result) => {
        this.owned.deletionFailed(key, pod.metadata.name);
        if (result !== 'NotFound') this.queue.addRateLimited(key);
      });
    }
  }

  /**
   * replicas, readyReplicas and availableReplicas (ready for at least minReadySeconds,
   * podutil.IsPodAvailable). A pod that will become available later brings the ReplicaSet back
   * to the queue at that instant, as upstream's AddAfter does.
   */
  private updateStatus(rs: ReplicaSet, active: Pod[]): void {
    const now = this.ctx.sim.now;
    const minReady = rs.spec.minReadySeconds ?? 0;
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
