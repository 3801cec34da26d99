/**
 * The StatefulSet controller (pkg/controller/statefulset/stateful_set_control.go
 * updateStatefulSet): pods with stable identities `<set>-<ordinal>` (ordinals from
 * spec.ordinals.start, default 0) and stable storage: each ordinal's claims
 * `<claim template>-<set>-<ordinal>` are created before its pod and never deleted by the
 * controller (the default persistentVolumeClaimRetentionPolicy, Retain), so a pod recreated
 * under the same name mounts the same claims, hence the same volumes.
 *
 * podManagementPolicy:
 *  - OrderedReady (default, "monotonic"): ordinals are created one at a time, lowest first,
 *    each only once every lower ordinal is Running and Ready (and available for
 *    minReadySeconds); the controller stops at a terminating or unready pod. Scale-down
 *    deletes the highest ordinal first, one at a time, each once the previous one is gone and
 *    the others are healthy (the first unhealthy pod may still be deleted).
 *  - Parallel: every missing ordinal is created and every condemned pod deleted at once.
 *
 * updateStrategy RollingUpdate (default): once the set is at size, pods not at the update
 * revision are deleted from the highest ordinal down to `partition`, one at a time, waiting for
 * each replacement to be healthy; OnDelete replaces a pod only when it is deleted. Not modelled:
 * the ControllerRevision history (a pod below the rollout point that is recreated mid-rollout
 * gets the new template, where upstream would restore the current revision's), maxUnavailable
 * (alpha), and the retention policy's Delete options.
 *
 * Status: replicas (pods that exist), readyReplicas, availableReplicas, currentReplicas and
 * updatedReplicas (pods at the current / update revision, not terminating), the revisions,
 * observedGeneration (updateStatefulSetStatus, completeRollingUpdate).
 *
 * The pods are those it claims (getPodsForStatefulSet: ClaimPods with the isMemberOf filter,
 * engine/controllers/controller-ref-manager.ts): its own that still match the selector and
 * carry its name with an ordinal, and such orphans, which it adopts. A pod relabelled out of
 * the selector is released and lives on as an orphan, keeping its name: the set cannot
 * recreate that ordinal while it exists (the create fails with AlreadyExists, which upstream
 * records no event for, and is retried with back-off); relabelled back, it is adopted again.
 *
 * Events as stateful_pod_control.go words them, recorded when the API server answers:
 * SuccessfulCreate "create Pod web-0 in StatefulSet web successful", "create Claim www-web-0
 * Pod web-0 in StatefulSet web success", SuccessfulDelete "delete Pod web-2 in StatefulSet web
 * successful"; FailedCreate / FailedDelete "... failed error: ERR" on a refusal.
 */
import type { ClusterContext } from '../api/context.js';
import { canonicalJson } from '../api/names.js';
import { matchesSelector } from '../api/labels.js';
import { deletePod } from '../api/pod-lifecycle.js';
import { writeErrorText } from '../api/status-error.js';
import { objectKey } from '../api/store.js';
import type { Pod, StatefulSet } from '../api/types.js';
import {
  availableAt,
  claimsFor,
  isHealthy,
  isMemberOf,
  isRunningAndReady,
  newStatefulSetPod,
  parentNameAndOrdinal,
  podName,
  podRevision,
  startOrdinal,
  updateRevisionName,
} from './statefulset-util.js';
import { claimObjects } from './controller-ref-manager.js';
import { controllersSelecting, OwnedPods } from './owned-pods.js';
import { WorkQueue } from './work-queue.js';

export class StatefulSetController {
  private readonly queue: WorkQueue;
  /** Pods by controlling StatefulSet uid, and the orphans, kept from the watch (the informer's index). */
  private readonly owned: OwnedPods;
  /** Pod and claim keys whose create, and pod keys whose delete, the watch has not shown yet. */
  private readonly creating = new Set<string>();
  private readonly deleting = new Set<string>();

  constructor(private readonly ctx: ClusterContext) {
    this.queue = new WorkQueue(ctx.sim, (key) => this.sync(key));
    // getStatefulSetsForPod: the sets whose selector matches an orphan.
    this.owned = new OwnedPods('StatefulSet', (pod) => controllersSelecting(ctx.api.list('StatefulSet', pod.metadata.namespace), pod));
    ctx.api.watch('StatefulSet', (_type, set) => this.queue.add(objectKey(set.metadata.namespace, set.metadata.name)));
    ctx.api.watch('Pod', (type, pod) => this.onPod(type, pod));
    ctx.api.watch('PersistentVolumeClaim', (_type, pvc) => this.creating.delete(`pvc/${objectKey(pvc.metadata.namespace, pvc.metadata.name)}`));
  }

  get workQueue(): WorkQueue {
    return this.queue;
  }

  private onPod(type: 'ADDED' | 'MODIFIED' | 'DELETED', pod: Pod): void {
    const key = objectKey(pod.metadata.namespace, pod.metadata.name);
    this.creating.delete(`pod/${key}`);
    if (type === 'DELETED' || pod.metadata.deletionTimestamp !== undefined) this.deleting.delete(key);
    for (const setKey of this.owned.observe(type, pod)) this.queue.add(setKey);
  }

  private sync(key: string): void {
    const [namespace, name] = splitKey(key);
    const set = this.ctx.api.get('StatefulSet', namespace, name);
    if (!set) return;
    // getPodsForStatefulSet: claim the pods that match the selector and carry the set's name.
    const claim = claimObjects(this.owned.claimable(set), {
      api: this.ctx.api,
      kind: 'Pod',
      controller: set,
      match: (pod) => matchesSelector(set.spec.selector, pod.metadata.labels) && isMemberOf(set, pod),
      failed: () => this.queue.addRateLimited(key),
    });
    // Adoptions in flight: nothing is managed until the watch shows them (controller-ref-manager.ts).
    if (!claim || claim.adopting > 0) return;
    const pods = claim.claimed;
    const updateRevision = updateRevisionName(set);
    const currentRevision = set.status?.currentRevision ?? updateRevision;
    this.reconcile(set, pods, updateRevision);
    this.updateStatus(set, pods, currentRevision, updateRevision);
  }

  /** The body of updateStatefulSet: replicas in ordinal order, then condemned pods, then the rolling update. */
  private reconcile(set: StatefulSet, pods: Pod[], updateRevision: string): void {
    const start = startOrdinal(set);
    const count = set.spec.replicas ?? 1;
    const monotonic = (set.spec.podManagementPolicy ?? 'OrderedReady') !== 'Parallel';
    const minReady = set.spec.minReadySeconds ?? 0;
    const now = this.ctx.sim.now;
    const replicas: (Pod | undefined)[] = new Array(count).fill(undefined);
    const condemned: Pod[] = [];
    for (const pod of pods) {
      const ord = parentNameAndOrdinal(pod).ordinal;
      if (ord >= start && ord < start + count) replicas[ord - start] = pod;
      else condemned.push(pod);
    }
    // Highest ordinal first: scale-down order.
    condemned.sort((a, b) => parentNameAndOrdinal(b).ordinal - parentNameAndOrdinal(a).ordinal);
    const terminating = (p: Pod) => p.metadata.deletionTimestamp !== undefined || this.deleting.has(objectKey(p.metadata.namespace, p.metadata.name));
    const healthy = (p: Pod) => isHealthy(p) && !terminating(p);
    const firstUnhealthy = replicas.find((p) => p !== undefined && !healthy(p)) ?? [...condemned].reverse().find((p) => !healthy(p));
    const waitForAvailable = (p: Pod): boolean => {
      const at = availableAt(p, minReady);
      if (at <= now) return false;
      if (at < Infinity) this.ctx.sim.schedule(at, () => this.queue.add(objectKey(set.metadata.namespace, set.metadata.name)));
      return true;
    };

    for (let i = 0; i < count; i++) {
      const ordinal = start + i;
      const pod = replicas[i];
      if (!pod) {
        const pending = this.creating.has(`pod/${objectKey(set.metadata.namespace, podName(set, ordinal))}`);
        if (!pending) this.createPod(set, ordinal, updateRevision);
        if (monotonic) return;
        continue;
      }
      if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') {
        // A finished pod is deleted; the next sync recreates the ordinal once it is gone.
        if (!terminating(pod)) this.deletePod(set, pod);
        if (monotonic) return;
        continue;
      }
      // A pending pod whose claims were deleted gets them back (createMissingPersistentVolumeClaims).
      if (!pod.spec.nodeName) this.createMissingClaims(set, ordinal, pod.metadata.name);
      if (terminating(pod) && monotonic) return;
      if (!isRunningAndReady(pod) && monotonic) return;
      if (monotonic && waitForAvailable(pod)) return;
    }

    for (const pod of condemned) {
      if (terminating(pod)) {
        if (monotonic) return;
        continue;
      }
      if (monotonic && pod !== firstUnhealthy && (!isRunningAndReady(pod) || waitForAvailable(pod))) return;
      this.deletePod(set, pod);
      if (monotonic) return;
    }

    if ((set.spec.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return;
    const partition = set.spec.updateStrategy?.rollingUpdate?.partition ?? 0;
    for (let target = count - 1; target >= partition; target--) {
      const pod = replicas[target];
      if (!pod) return;
      if (podRevision(pod) !== updateRevision && !terminating(pod)) {
        this.deletePod(set, pod);
        return;
      }
      if (!healthy(pod)) return;
    }
  }

  /**
   * CreateStatefulPod: the ordinal's missing claims first, then the pod. A create refused
   * brings the set back with back-off (the sync's error, requeued rate-limited). When the name
   * is held by a pod the set does not own (one it released), the create fails with
   * AlreadyExists, which CreateStatefulPod returns without recording an event. The events are
   * recordPodEvent's / recordClaimEvent's, once the API server has answered
   * (stateful_pod_control.go).
   */
  private createPod(set: StatefulSet, ordinal: number, revision: string): void {
    const pod = newStatefulSetPod(set, ordinal, revision);
    this.createMissingClaims(set, ordinal, pod.metadata.name);
    const key = `pod/${objectKey(set.metadata.namespace, pod.metadata.name)}`;
    const setKey = objectKey(set.metadata.namespace, set.metadata.name);
    const what = `Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name}`;
    this.creating.add(key);
    this.ctx.api.create(pod, (result, _pod, message) => {
      if (result === 'ok') {
        this.ctx.event('Normal', 'SuccessfulCreate', set, `create ${what} successful`);
        return;
      }
      this.creating.delete(key);
      this.queue.addRateLimited(setKey);
      if (result !== 'AlreadyExists') this.ctx.event('Warning', 'FailedCreate', set, `create ${what} failed error: ${writeErrorText(result, 'pods', pod.metadata.name, message)}`);
    });
  }

  /** createPersistentVolumeClaims: each missing claim; its event once created (none for AlreadyExists). */
  private createMissingClaims(set: StatefulSet, ordinal: number, pod: string): void {
    for (const claim of claimsFor(set, ordinal)) {
      const key = `pvc/${objectKey(claim.metadata.namespace, claim.metadata.name)}`;
      if (this.creating.has(key) || this.ctx.api.get('PersistentVolumeClaim', claim.metadata.namespace, claim.metadata.name)) continue;
      this.creating.add(key);
      const name = claim.metadata.name;
      this.ctx.api.create(claim, (result, _claim, message) => {
        if (result === 'ok') {
          this.ctx.event('Normal', 'SuccessfulCreate', set, `create Claim ${name} Pod ${pod} in StatefulSet ${set.metadata.name} success`);
          return;
        }
        this.creating.delete(key);
        if (result !== 'AlreadyExists') {
          const error = writeErrorText(result, 'persistentvolumeclaims', name, message);
          this.ctx.event('Warning', 'FailedCreate', set, `create Claim ${name} for Pod ${pod} in StatefulSet ${set.metadata.name} failed error: ${error}`);
        }
      });
    }
  }

  /** DeleteStatefulPod: recordPodEvent after the delete returned, a failure (NotFound included) as FailedDelete, and the set requeued. */
  private deletePod(set: StatefulSet, pod: Pod): void {
    const key = objectKey(pod.metadata.namespace, pod.metadata.name);
    const what = `Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name}`;
    this.deleting.add(key);
    deletePod(this.ctx, pod, undefined, (result) => {
      if (result === 'ok') {
        this.ctx.event('Normal', 'SuccessfulDelete', set, `delete ${what} successful`);
        return;
      }
      this.deleting.delete(key);
      this.queue.addRateLimited(objectKey(set.metadata.namespace, set.metadata.name));
      this.ctx.event('Warning', 'FailedDelete', set, `delete ${what} failed error: ${writeErrorText(result, 'pods', pod.metadata.name)}`);
    });
  }

  /** computeReplicaStatus + completeRollingUpdate, written only when it changes. */
  private updateStatus(set: StatefulSet, pods: Pod[], currentRevision: string, updateRevision: string): void {
    const now = this.ctx.sim.now;
    const minReady = set.spec.minReadySeconds ?? 0;
    const status = {
      replicas: 0,
      readyReplicas: 0,
      availableReplicas: 0,
      currentReplicas: 0,
      updatedReplicas: 0,
      currentRevision,
      updateRevision,
      observedGeneration: set.metadata.generation ?? 1,
    };
    for (const pod of pods) {
      status.replicas++;
      if (isRunningAndReady(pod)) {
        status.readyReplicas++;
        if (availableAt(pod, minReady) <= now) status.availableReplicas++;
      }
      if (pod.metadata.deletionTimestamp === undefined) {
        if (podRevision(pod) === currentRevision) status.currentReplicas++;
        if (podRevision(pod) === updateRevision) status.updatedReplicas++;
      }
    }
    const rolling = (set.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
    if (rolling && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas) {
      status.currentReplicas = status.updatedReplicas;
      status.currentRevision = updateRevision;
    }
    if (canonicalJson(set.status ?? {}) === canonicalJson(status)) return;
    this.ctx.api.update('StatefulSet', set.metadata.namespace, set.metadata.name, (s) => {
      s.status = status;
    });
  }
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}
