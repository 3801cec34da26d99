/**
 * The Deployment controller (pkg/controller/deployment): owns one ReplicaSet per pod template,
 * named `<deployment>-<pod-template-hash>`, and sizes it to `spec.replicas`; ReplicaSets of
 * older templates are scaled to zero. This is the walking-skeleton subset: rollout strategies
 * (RollingUpdate surge/unavailable, Recreate), revision history and undo come with the
 * cluster-and-control-plane issue and will live here too.
 *
 * Events use the upstream wording (pkg/controller/deployment/sync.go scaleReplicaSet):
 * `Scaled up replica set <name> from <old> to <new>`.
 */
import type { ClusterContext } from '../api/context.js';
import { controllerOf, ownerRef } from '../api/owners.js';
import { podTemplateHash } from '../api/names.js';
import { objectKey } from '../api/store.js';
import type { Deployment, ReplicaSet } from '../api/types.js';
import { WorkQueue } from './work-queue.js';

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

export class DeploymentController {
  private readonly queue: WorkQueue;
  /** ReplicaSets created but not yet seen through the watch (their names). */
  private readonly pendingCreates = new Set<string>();

  constructor(private readonly ctx: ClusterContext) {
    this.queue = new WorkQueue(ctx.sim, (key) => this.sync(key));
    ctx.api.watch('Deployment', (_type, d) => this.queue.add(objectKey(d.metadata.namespace, d.metadata.name)));
    ctx.api.watch('ReplicaSet', (_type, rs) => {
      this.pendingCreates.delete(objectKey(rs.metadata.namespace, rs.metadata.name));
      const owner = controllerOf(rs.metadata);
      if (owner?.kind === 'Deployment') this.queue.add(objectKey(rs.metadata.namespace, owner.name));
    });
  }

  get workQueue(): WorkQueue {
    return this.queue;
  }

  private ownedReplicaSets(d: Deployment): ReplicaSet[] {
    return this.ctx.api
      .list('ReplicaSet', d.metadata.namespace)
      .filter((rs) => controllerOf(rs.metadata)?.uid === d.metadata.uid);
  }

  private sync(key: string): void {
    const [namespace, name] = key.split('/') as [string, string];
    const d = this.ctx.api.get('Deployment', namespace, name);
    if (!d) return;
    const hash = podTemplateHash(d.spec.template);
    const newName = `${d.metadata.name}-${hash}`;
    const owned = this.ownedReplicaSets(d);
    const desired = d.spec.replicas ?? 1;
    const current = owned.find((rs) => rs.metadata.name === newName);
    if (!current) {
      const newKey = objectKey(namespace, newName);
      if (!this.pendingCreates.has(newKey)) {
        this.pendingCreates.add(newKey);
        this.ctx.api.create(this.newReplicaSet(d, newName, hash, desired));
        this.ctx.event('Normal', 'ScalingReplicaSet', d, `Scaled up replica set ${newName} from 0 to ${desired}`);
      }
    } else {
      this.scale(d, current, desired);
    }
    for (const old of owned) if (old !== current) this.scale(d, old, 0);
    this.updateStatus(d, owned, current);
  }

  private scale(d: Deployment, rs: ReplicaSet, replicas: number): void {
    const from = rs.spec.replicas ?? 0;
    if (from === replicas) return;
    this.ctx.api.update('ReplicaSet', rs.metadata.namespace, rs.metadata.name, (r) => {
      r.spec.replicas = replicas;
    });
    const direction = replicas > from ? 'up' : 'down';
    this.ctx.event('Normal', 'ScalingReplicaSet', d, `Scaled ${direction} replica set ${rs.metadata.name} from ${from} to ${replicas}`);
  }

  private newReplicaSet(d: Deployment, name: string, hash: string, replicas: number): ReplicaSet {
    const template = structuredClone(d.spec.template);
    template.metadata = { ...(template.metadata ?? {}) };
    template.metadata.labels = { ...(template.metadata.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
    const selector = structuredClone(d.spec.selector);
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
    return {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        namespace: d.metadata.namespace,
        labels: { ...template.metadata.labels },
        ownerReferences: [ownerRef(d)],
      },
      spec: { replicas, selector, template },
    };
  }

  private updateStatus(d: Deployment, owned: ReplicaSet[], current: ReplicaSet | undefined): void {
    let replicas = 0;
    let readyReplicas = 0;
    for (const rs of owned) {
      replicas += rs.status?.replicas ?? 0;
      readyReplicas += rs.status?.readyReplicas ?? 0;
    }
    const updatedReplicas = current?.status?.replicas ?? 0;
    // Without minReadySeconds, a ready pod is available at once (deploymentutil.IsPodAvailable).
    const availableReplicas = readyReplicas;
    const s = d.status ?? {};
    if (
      s.replicas === replicas &&
      s.readyReplicas === readyReplicas &&
      s.updatedReplicas === updatedReplicas &&
      s.availableReplicas === availableReplicas
    ) {
      return;
    }
    this.ctx.api.update('Deployment', d.metadata.namespace, d.metadata.name, (obj) => {
      obj.status = { replicas, readyReplicas, updatedReplicas, availableReplicas };
    });
  }
}
