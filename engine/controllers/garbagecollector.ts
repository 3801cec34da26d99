/**
 * The garbage collector (pkg/controller/garbagecollector), background propagation: when an
 * owner is deleted, every object whose ownerReferences name it, and none of whose other owners
 * still exists, is deleted in turn (pods gracefully, so their containers get SIGTERM), which
 * cascades down: Deployment -> ReplicaSets -> Pods. PersistentVolumeClaims made from a
 * StatefulSet's volumeClaimTemplates are not owned by it and stay (upstream's default
 * persistentVolumeClaimRetentionPolicy Retain). Part of kube-controller-manager: it stops with it.
 */
import type { ClusterContext } from '../api/context.js';
import { deletePod } from '../api/pod-lifecycle.js';
import type { Kind } from '../api/types.js';
import { WorkQueue } from './work-queue.js';

/** Kinds that own others, and kinds that can be owned, in the simulator. */
const OWNERS: readonly Kind[] = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Service'];
const DEPENDENTS: readonly Kind[] = ['ReplicaSet', 'Pod', 'EndpointSlice'];

export class GarbageCollector {
  readonly workQueue: WorkQueue;
  /** UIDs of owners seen deleted; dependents naming only such owners are garbage. */
  private readonly gone = new Set<string>();

  constructor(private readonly ctx: ClusterContext) {
    this.workQueue = new WorkQueue(ctx.sim, (uid) => this.collect(uid));
    for (const kind of OWNERS) {
      ctx.api.watch(kind, (type, obj) => {
        if (type !== 'DELETED' || !obj.metadata.uid) return;
        this.gone.add(obj.metadata.uid);
        this.workQueue.add(obj.metadata.uid);
      });
    }
  }

  private collect(ownerUid: string): void {
    const { api } = this.ctx;
    for (const kind of DEPENDENTS) {
      for (const obj of api.list(kind)) {
        const refs = obj.metadata.ownerReferences;
        if (!refs?.some((r) => r.uid === ownerUid)) continue;
        if (!refs.every((r) => this.gone.has(r.uid))) continue;
        if (obj.kind === 'Pod') {
          if (obj.metadata.deletionTimestamp === undefined) deletePod(this.ctx, obj);
        } else api.delete(kind, obj.metadata.namespace, obj.metadata.name);
      }
    }
  }
}
