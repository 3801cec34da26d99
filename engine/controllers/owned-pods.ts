/**
 * What the ReplicaSet, StatefulSet and DaemonSet controllers keep about pods, from the Pod
 * watch:
 *  - an index of pods by controller uid, with the orphans (no controller) by namespace: the
 *    informer's PodControllerUIDIndex, from which controller.FilterPodsByOwner lists the pods
 *    a controller may claim (its own, and the orphans of its namespace);
 *  - which controllers a watch event wakes up, as addPod / updatePod / deletePod do in
 *    replica_set.go, stateful_set.go and daemon_controller.go: the controller the pod names,
 *    the previous one too when the reference changed (a release, an adoption), and for an
 *    orphan that appeared or whose labels or reference changed, every controller of the kind
 *    whose selector matches it (getPodReplicaSets, getStatefulSetsForPod, getDaemonSetsForPod);
 *  - ControllerExpectations (pkg/controller/controller_utils.go): after issuing creates and
 *    deletes, an owner is not managed again until the watch has shown those pods appear or
 *    start terminating, so a sync in the write-to-watch gap never creates or deletes twice.
 *
 * A watch event here carries the object as it is now; what it was before (the informer's old
 * object) is what this index last recorded of the pod: its uid, controller reference and labels.
 */
import { matchesSelector } from '../api/labels.js';
import { canonicalJson } from '../api/names.js';
import { controllerOf } from '../api/owners.js';
import { objectKey } from '../api/store.js';
import type { LabelSelector, ObjectMeta, OwnerReference, Pod } from '../api/types.js';

interface Expectations {
  adds: number;
  deletes: Set<string>;
}

interface Seen {
  uid: string | undefined;
  controller: OwnerReference | undefined;
  /** The labels, canonical, of an orphan ('' for a controlled pod). */
  labels: string;
}

export type PodWatchEvent = 'ADDED' | 'MODIFIED' | 'DELETED';

export class OwnedPods {
  private readonly byOwner = new Map<string, Map<string, Pod>>();
  private readonly orphans = new Map<string, Map<string, Pod>>();
  private readonly seen = new Map<string, Seen>();
  private readonly expectations = new Map<string, Expectations>();

  /**
   * @param ownerKind the controllers' kind
   * @param controllersFor the keys of the controllers of that kind whose selector matches an orphan
   */
  constructor(
    private readonly ownerKind: string,
    private readonly controllersFor: (pod: Pod) => string[],
  ) {}

  /** Records a Pod watch event; returns the keys (`namespace/name`) of the controllers to sync. */
  observe(type: PodWatchEvent, pod: Pod): string[] {
    const { namespace, name, uid } = pod.metadata;
    const podKey = objectKey(namespace, name);
    const before = this.seen.get(podKey);
    // The deletion of a pod already replaced under its name (a StatefulSet's) changes nothing.
    if (type === 'DELETED' && before && before.uid !== uid) return [];
    if (before) this.unindex(namespace, name, before.controller);
    const ref = controllerOf(pod.metadata);
    // Only an orphan's labels decide anything (whether someone may adopt it now).
    const labels = ref ? '' : canonicalJson(pod.metadata.labels ?? {});
    const terminating = pod.metadata.deletionTimestamp !== undefined;
    if (type === 'DELETED') this.seen.delete(podKey);
    else {
      this.seen.set(podKey, { uid, controller: ref, labels });
      this.index(pod, ref);
    }

    const keys: string[] = [];
    const wake = (r: OwnerReference | undefined) => {
      if (r?.kind !== this.ownerKind) return undefined;
      const key = objectKey(namespace, r.name);
      if (!keys.includes(key)) keys.push(key);
      return key;
    };
    const refChanged = before !== undefined && !sameRef(before.controller, ref);
    if (type === 'DELETED' || terminating) {
      // deletePod, and updatePod of a terminating pod: its controller may replace it now.
      const key = wake(ref);
      if (key) this.deletionObserved(key, name);
      // Released or adopted in the same update: the previous controller sees the deletion too (deletePod(oldPod)).
      const previous = refChanged ? wake(before?.controller) : undefined;
      if (previous) this.deletionObserved(previous, name);
      return keys;
    }
    if (!before) {
      // addPod: creation observed for the controller named; an orphan wakes whoever may adopt it.
      const key = wake(ref);
      if (key && type === 'ADDED') this.creationObserved(key);
      if (!ref) for (const k of this.controllersFor(pod)) if (!keys.includes(k)) keys.push(k);
      return keys;
    }
    // updatePod
    if (refChanged) wake(before.controller);
    if (ref) {
      wake(ref);
      return keys;
    }
    if (refChanged || before.labels !== labels) for (const k of this.controllersFor(pod)) if (!keys.includes(k)) keys.push(k);
    return keys;
  }

  /** The pods whose controller reference names this uid, as the watch has shown them. */
  of(ownerUid: string): Pod[] {
    return [...(this.byOwner.get(ownerUid)?.values() ?? [])];
  }

  /** FilterPodsByOwner: the owner's pods, then the orphans of its namespace: all it may claim. */
  claimable(owner: { metadata: { uid?: string; namespace?: string } }): Pod[] {
    return [...this.of(owner.metadata.uid!), ...(this.orphans.get(owner.metadata.namespace ?? '')?.values() ?? [])];
  }

  /** Creations and deletions the owner just issued (deletions by pod name). */
  expect(key: string, adds: number, deletes: readonly string[] = []): void {
    this.expectations.set(key, { adds, deletes: new Set(deletes) });
  }

  /** True when every expected create and delete has been observed. */
  satisfied(key: string): boolean {
    const exp = this.expectations.get(key);
    return !exp || (exp.adds <= 0 && exp.deletes.size === 0);
  }

  /** A create the API refused will never be observed: stop expecting it, as upstream does. */
  creationFailed(key: string): void {
    this.creationObserved(key);
  }

  /** Creates slowStartBatch skipped will never be observed (CreationObserved for each, LowerExpectations). */
  creationsSkipped(key: string, count: number): void {
    for (let i = 0; i < count; i++) this.creationObserved(key);
  }

  /** A delete the API refused will never be observed either (DeletionObserved on the error). */
  deletionFailed(key: string, podName: string): void {
    this.deletionObserved(key, podName);
  }

  /** The owner is gone. */
  forget(key: string): void {
    this.expectations.delete(key);
  }

  private creationObserved(key: string): void {
    const exp = this.expectations.get(key);
    if (exp && exp.adds > 0) exp.adds--;
  }

  private deletionObserved(key: string, podName: string): void {
    this.expectations.get(key)?.deletes.delete(podName);
  }

  private index(pod: Pod, ref: OwnerReference | undefined): void {
    let bucket: Map<string, Map<string, Pod>>;
    let id: string;
    if (!ref) [bucket, id] = [this.orphans, pod.metadata.namespace ?? ''];
    else if (ref.kind === this.ownerKind) [bucket, id] = [this.byOwner, ref.uid];
    else return;
    let pods = bucket.get(id);
    if (!pods) bucket.set(id, (pods = new Map()));
    pods.set(pod.metadata.name, pod);
  }

  private unindex(namespace: string | undefined, name: string, ref: OwnerReference | undefined): void {
    const [bucket, id] = !ref ? [this.orphans, namespace ?? ''] : [this.byOwner, ref.uid];
    const pods = bucket.get(id);
    if (!pods) return;
    pods.delete(name);
    if (pods.size === 0) bucket.delete(id);
  }
}

/**
 * The listers' GetPodReplicaSets / GetPodStatefulSets / GetPodDaemonSets: the keys of the
 * controllers (of the pod's namespace) whose selector matches the pod; none for a pod without
 * labels, and a missing or empty selector matches nothing here. More than one is a user error
 * upstream only logs; whichever syncs first adopts the pod.
 */
export function controllersSelecting(controllers: readonly { metadata: ObjectMeta; spec: { selector?: LabelSelector } }[], pod: Pod): string[] {
  if (Object.keys(pod.metadata.labels ?? {}).length === 0) return [];
  const keys: string[] = [];
  for (const c of controllers) {
    const s = c.spec.selector;
    if (c.metadata.namespace !== pod.metadata.namespace || !s) continue;
    if (Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0) continue;
    if (matchesSelector(s, pod.metadata.labels)) keys.push(objectKey(c.metadata.namespace, c.metadata.name));
  }
  return keys;
}

/** reflect.DeepEqual of two controller references. */
function sameRef(a: OwnerReference | undefined, b: OwnerReference | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.uid === b.uid && a.name === b.name && a.kind === b.kind && a.apiVersion === b.apiVersion && a.blockOwnerDeletion === b.blockOwnerDeletion;
}
