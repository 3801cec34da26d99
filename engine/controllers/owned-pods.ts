/**
 * What the ReplicaSet and DaemonSet controllers keep about the pods they own: an index of
 * pods by owner uid, maintained from the Pod watch (an informer's index), and
 * ControllerExpectations (pkg/controller/controller_utils.go): after issuing creates and
 * deletes, an owner is not managed again until the watch has shown those pods appear or start
 * terminating, so a sync in the write-to-watch gap never creates or deletes the same pods twice.
 */
import { controllerOf } from '../api/owners.js';
import { objectKey } from '../api/store.js';
import type { Pod } from '../api/types.js';

interface Expectations {
  adds: number;
  deletes: Set<string>;
}

export class OwnedPods {
  private readonly byOwner = new Map<string, Map<string, Pod>>();
  private readonly expectations = new Map<string, Expectations>();

  constructor(private readonly ownerKind: string) {}

  /**
   * Records a Pod watch event; returns the owner's key (`namespace/name`) when the pod belongs
   * to an owner of this kind, so the caller can queue it.
   */
  observe(type: 'ADDED' | 'MODIFIED' | 'DELETED', pod: Pod): string | undefined {
    const owner = controllerOf(pod.metadata);
    if (!owner || owner.kind !== this.ownerKind) return undefined;
    let pods = this.byOwner.get(owner.uid);
    if (!pods) this.byOwner.set(owner.uid, (pods = new Map()));
    const name = pod.metadata.name;
    const key = objectKey(pod.metadata.namespace, owner.name);
    const exp = this.expectations.get(key);
    if (type === 'DELETED') {
      pods.delete(name);
      exp?.deletes.delete(name);
    } else {
      if (type === 'ADDED' && !pods.has(name) && exp && exp.adds > 0) exp.adds--;
      pods.set(name, pod);
      if (pod.metadata.deletionTimestamp !== undefined) exp?.deletes.delete(name);
    }
    return key;
  }

  /** The pods of one owner (by its uid), as the watch has shown them. */
  of(ownerUid: string): Pod[] {
    return [...(this.byOwner.get(ownerUid)?.values() ?? [])];
  }

  /** Creates and deletions the owner just issued (deletions by pod name). */
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
    const exp = this.expectations.get(key);
    if (exp && exp.adds > 0) exp.adds--;
  }

  /** The owner is gone. */
  forget(key: string): void {
    this.expectations.delete(key);
  }
}
