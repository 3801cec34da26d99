/**
 * The Deployment controller (pkg/controller/deployment): owns one ReplicaSet per pod template,
 * named `<deployment>-<pod-template-hash>`, and rolls pods from the old ReplicaSets to the new
 * one with the Deployment's strategy:
 *  - RollingUpdate (rolling.go): the new ReplicaSet grows while the total stays within
 *    replicas + maxSurge, old ones shrink while availability stays at least
 *    replicas - maxUnavailable (unhealthy old replicas first);
 *  - Recreate (recreate.go): every old pod goes first, then the new ReplicaSet is scaled up.
 * Revisions (`deployment.kubernetes.io/revision`) number the templates; a template seen before
 * (after `rollout undo`) gets the next revision number again. ReplicaSets beyond
 * revisionHistoryLimit are deleted once the rollout is complete (sync.go cleanupDeployment).
 *
 * Not modelled yet: proportional scaling of several active ReplicaSets when replicas change
 * in the middle of a rollout (sync.go scale), paused Deployments, progressDeadlineSeconds.
 * Scaling mid-rollout converges through the rolling rules instead.
 *
 * Events use the upstream wording (sync.go scaleReplicaSet):
 * `Scaled up replica set <name> from <old> to <new>`.
 */
import type { ClusterContext } from '../api/context.js';
import { controllerOf, ownerRef } from '../api/owners.js';
import { podTemplateHash } from '../api/names.js';
import { objectKey } from '../api/store.js';
import type { Deployment, ReplicaSet } from '../api/types.js';
import {
  availableCount,
  byCreation,
  CHANGE_CAUSE_ANNOTATION,
  DEFAULT_REVISION_HISTORY_LIMIT,
  deploymentComplete,
  isRollingUpdate,
  maxRevision,
  maxUnavailable,
  newRSNewReplicas,
  POD_TEMPLATE_HASH_LABEL,
  replicaCount,
  REVISION_ANNOTATION,
  revisionOf,
  specReplicas,
} from './deployment-util.js';
import { WorkQueue } from './work-queue.js';

export { POD_TEMPLATE_HASH_LABEL } from './deployment-util.js';

export class DeploymentController {
  private readonly queue: WorkQueue;
  /** ReplicaSets created but not yet seen through the watch (their keys). */
  private readonly pendingCreates = new Set<string>();
  /** ReplicaSet sizes decided by the sync in progress, written by `flush` at its end. */
  private scaled: { d: Deployment; rs: ReplicaSet; from: number; to: number }[] = [];

  constructor(private readonly ctx: ClusterContext) {
    this.queue = new WorkQueue(ctx.sim, (key) => this.sync(key));
    ctx.api.watch('Deployment', (_type, d) => this.queue.add(objectKey(d.metadata.namespace, d.metadata.name)));
    ctx.api.watch('ReplicaSet', (_type, rs) => {
      this.pendingCreates.delete(objectKey(rs.metadata.namespace, rs.metadata.name));
      const owner = controllerOf(rs.metadata);
      if (owner?.kind === 'Deployment') this.queue.add(objectKey(rs.metadata.namespace, owner.name));
    });
    // Recreate waits for old pods to be gone, which only pod events tell.
    ctx.api.watch('Pod', (type, pod) => {
      if (type !== 'DELETED') return;
      const owner = controllerOf(pod.metadata);
      if (owner?.kind !== 'ReplicaSet') return;
      const rs = ctx.api.get('ReplicaSet', pod.metadata.namespace, owner.name);
      const d = rs && controllerOf(rs.metadata);
      if (d?.kind === 'Deployment') this.queue.add(objectKey(pod.metadata.namespace, d.name));
    });
  }

  get workQueue(): WorkQueue {
    return this.queue;
  }

  /**
   * Copies of the Deployment's ReplicaSets, oldest first. Copies, because a sync goes on with
   * the sizes it has just written (as upstream continues with the updated objects) while the
   * stored objects change only when those writes commit.
   */
  private ownedReplicaSets(d: Deployment): ReplicaSet[] {
    return this.ctx.api
      .list('ReplicaSet', d.metadata.namespace)
      .filter((rs) => controllerOf(rs.metadata)?.uid === d.metadata.uid)
      .map((rs) => structuredClone(rs))
      .sort(byCreation);
  }

  private sync(key: string): void {
    const [namespace, name] = key.split('/') as [string, string];
    const d = this.ctx.api.get('Deployment', namespace, name);
    if (!d) return;
    const hash = podTemplateHash(d.spec.template);
    const newName = `${d.metadata.name}-${hash}`;
    const owned = this.ownedReplicaSets(d);
    const newRS = owned.find((rs) => rs.metadata.name === newName);
    const oldRSs = owned.filter((rs) => rs !== newRS);

    if (!newRS) {
      this.createNewReplicaSet(d, newName, hash, oldRSs);
    } else if (!this.ensureLatestRevision(d, newRS, oldRSs)) {
      if (isRollingUpdate(d)) this.rolloutRolling(d, newRS, oldRSs);
      else this.rolloutRecreate(d, newRS, oldRSs);
      this.flush(key);
    }
    this.updateStatus(d, owned, newRS);
  }

  private createNewReplicaSet(d: Deployment, name: string, hash: string, oldRSs: ReplicaSet[]): void {
    const key = objectKey(d.metadata.namespace, name);
    if (this.pendingCreates.has(key)) return;
    this.pendingCreates.add(key);
    // Recreate starts the new ReplicaSet at zero and scales it once the old pods are gone.
    const replicas = isRollingUpdate(d) ? newRSNewReplicas(d, oldRSs, 0) : replicaCount(oldRSs) > 0 ? 0 : (d.spec.replicas ?? 1);
    const template = structuredClone(d.spec.template);
    template.metadata = { ...(template.metadata ?? {}) };
    template.metadata.labels = { ...(template.metadata.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
    const selector = structuredClone(d.spec.selector);
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
    const annotations: Record<string, string> = { [REVISION_ANNOTATION]: String(maxRevision(oldRSs) + 1) };
    const cause = d.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION];
    if (cause !== undefined) annotations[CHANGE_CAUSE_ANNOTATION] = cause;
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        namespace: d.metadata.namespace,
        labels: { ...template.metadata.labels },
        annotations,
        ownerReferences: [ownerRef(d)],
      },
      spec: { replicas, selector, template, minReadySeconds: d.spec.minReadySeconds },
    };
    this.ctx.api.create(rs, (result) => {
      if (result === 'ok' && replicas > 0) this.ctx.event('Normal', 'ScalingReplicaSet', d, `Scaled up replica set ${name} from 0 to ${replicas}`);
    });
    this.setDeploymentRevision(d, annotations[REVISION_ANNOTATION]!);
  }

  /**
   * The new ReplicaSet carries the latest revision and the Deployment's change-cause
   * (sync.go getNewReplicaSet / setNewReplicaSetAnnotations): a template used before (rollout
   * undo) gets the next revision number again, and annotating the Deployment re-labels its
   * current ReplicaSet. Returns true when it wrote: the rollout goes on when the write comes
   * back through the watch.
   */
  private ensureLatestRevision(d: Deployment, newRS: ReplicaSet, oldRSs: ReplicaSet[]): boolean {
    const latest = maxRevision(oldRSs);
    const revision = revisionOf(newRS) > latest ? String(revisionOf(newRS)) : String(latest + 1);
    const cause = d.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION];
    const annotations = newRS.metadata.annotations ?? {};
    if (annotations[REVISION_ANNOTATION] === revision && annotations[CHANGE_CAUSE_ANNOTATION] === cause) return false;
    this.ctx.api.update('ReplicaSet', newRS.metadata.namespace, newRS.metadata.name, (rs) => {
      rs.metadata.annotations = { ...(rs.metadata.annotations ?? {}), [REVISION_ANNOTATION]: revision };
      if (cause === undefined) delete rs.metadata.annotations[CHANGE_CAUSE_ANNOTATION];
      else rs.metadata.annotations[CHANGE_CAUSE_ANNOTATION] = cause;
    });
    this.setDeploymentRevision(d, revision);
    return true;
  }

  private setDeploymentRevision(d: Deployment, revision: string): void {
    if (d.metadata.annotations?.[REVISION_ANNOTATION] === revision) return;
    this.ctx.api.update('Deployment', d.metadata.namespace, d.metadata.name, (obj) => {
      obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [REVISION_ANNOTATION]: revision };
    });
  }

  /**
   * rolling.go rolloutRolling: scale the new ReplicaSet up if it may grow, else the old ones
   * down if availability allows; one of the two per sync, as upstream returns after either, so
   * the next step is decided on sizes and availability that include this one.
   */
  private rolloutRolling(d: Deployment, newRS: ReplicaSet, oldRSs: ReplicaSet[]): void {
    const desired = d.spec.replicas ?? 1;
    const before = specReplicas(newRS);
    // reconcileNewReplicaSet
    if (before > desired) this.scale(d, newRS, desired);
    else if (before < desired) this.scale(d, newRS, newRSNewReplicas(d, [...oldRSs, newRS], before));
    if (specReplicas(newRS) !== before) return;
    this.reconcileOldReplicaSets(d, newRS, oldRSs);
    if (deploymentComplete(d)) this.cleanupHistory(d, oldRSs);
  }

  /** rolling.go reconcileOldReplicaSets, with cleanupUnhealthyReplicas and scaleDownOldReplicaSetsForRollingUpdate. */
  private reconcileOldReplicaSets(d: Deployment, newRS: ReplicaSet, oldRSs: ReplicaSet[]): void {
    if (replicaCount(oldRSs) === 0) return;
    const minAvailable = (d.spec.replicas ?? 1) - maxUnavailable(d);
    const newRSUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
    const maxScaledDown = replicaCount([...oldRSs, newRS]) - minAvailable - newRSUnavailable;
    if (maxScaledDown <= 0) return;

    // Unhealthy old replicas first: they serve nothing, so removing them costs no availability.
    let cleaned = 0;
    for (const rs of oldRSs) {
      if (cleaned >= maxScaledDown) break;
      const unhealthy = specReplicas(rs) - (rs.status?.availableReplicas ?? 0);
      if (specReplicas(rs) === 0 || unhealthy <= 0) continue;
      const down = Math.min(maxScaledDown - cleaned, unhealthy);
      this.scale(d, rs, specReplicas(rs) - down);
      cleaned += down;
    }

    const available = availableCount([...oldRSs, newRS]);
    if (available <= minAvailable) return;
    const budget = available - minAvailable;
    let scaledDown = 0;
    for (const rs of oldRSs) {
      if (scaledDown >= budget) break;
      if (specReplicas(rs) === 0) continue;
      const down = Math.min(specReplicas(rs), budget - scaledDown);
      this.scale(d, rs, specReplicas(rs) - down);
      scaledDown += down;
    }
  }

  /** recreate.go rolloutRecreate: old ReplicaSets to zero, wait until their pods are gone, then the new one up. */
  private rolloutRecreate(d: Deployment, newRS: ReplicaSet, oldRSs: ReplicaSet[]): void {
    let scaledDown = false;
    for (const rs of oldRSs) {
      if (specReplicas(rs) > 0) {
        this.scale(d, rs, 0);
        scaledDown = true;
      }
    }
    if (scaledDown) return;
    const oldPodsRunning = this.ctx.api
      .list('Pod', d.metadata.namespace)
      .some((p) => oldRSs.some((rs) => controllerOf(p.metadata)?.uid === rs.metadata.uid) && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
    if (oldPodsRunning) return;
    this.scale(d, newRS, d.spec.replicas ?? 1);
    if (deploymentComplete(d)) this.cleanupHistory(d, oldRSs);
  }

  /** sync.go cleanupDeployment: delete the oldest empty ReplicaSets beyond revisionHistoryLimit. */
  private cleanupHistory(d: Deployment, oldRSs: ReplicaSet[]): void {
    const limit = d.spec.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT;
    const alive = oldRSs.filter((rs) => rs.metadata.deletionTimestamp === undefined);
    const excess = alive.length - limit;
    if (excess <= 0) return;
    const byRevision = alive.slice().sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
    for (const rs of byRevision.slice(0, excess)) {
      if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0) continue;
      this.ctx.api.delete('ReplicaSet', rs.metadata.namespace, rs.metadata.name);
    }
  }

  /**
   * Sizes a ReplicaSet within this sync. Writes are collected and sent at the end of the sync,
   * one Update per ReplicaSet carrying the resourceVersion read, so a sync that raced with
   * another write is refused (Conflict) and retried, as upstream's Update calls are: without
   * it a sync working from stale sizes could exceed maxSurge or go below minAvailable.
   */
  private scale(d: Deployment, rs: ReplicaSet, replicas: number): void {
    const from = specReplicas(rs);
    if (from === replicas) return;
    this.scaled.push({ d, rs, from, to: replicas });
    rs.spec.replicas = replicas; // our copy: the rest of this sync sees the new size
  }

  private flush(key: string): void {
    const byName = new Map<string, { d: Deployment; rs: ReplicaSet; from: number; to: number }[]>();
    for (const s of this.scaled) byName.set(s.rs.metadata.name, [...(byName.get(s.rs.metadata.name) ?? []), s]);
    this.scaled = [];
    for (const steps of byName.values()) {
      const { rs } = steps[0]!;
      const target = steps[steps.length - 1]!.to;
      this.ctx.api.update(
        'ReplicaSet',
        rs.metadata.namespace,
        rs.metadata.name,
        (r) => {
          r.spec.replicas = target;
        },
        (result) => {
          if (result !== 'ok') return this.queue.addRateLimited(key);
          this.queue.forget(key);
          for (const { d, from, to } of steps) {
            this.ctx.event('Normal', 'ScalingReplicaSet', d, `Scaled ${to > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${to}`);
          }
        },
        rs.metadata.resourceVersion,
      );
    }
  }

  private updateStatus(d: Deployment, owned: ReplicaSet[], newRS: ReplicaSet | undefined): void {
    let replicas = 0;
    let readyReplicas = 0;
    let availableReplicas = 0;
    for (const rs of owned) {
      replicas += rs.status?.replicas ?? 0;
      readyReplicas += rs.status?.readyReplicas ?? 0;
      availableReplicas += rs.status?.availableReplicas ?? 0;
    }
    const status = {
      observedGeneration: d.metadata.generation ?? 1,
      replicas,
      updatedReplicas: newRS?.status?.replicas ?? 0,
      readyReplicas,
      availableReplicas,
      unavailableReplicas: Math.max(0, (d.spec.replicas ?? 1) - availableReplicas),
    };
    const s = d.status ?? {};
    if ((Object.keys(status) as (keyof typeof status)[]).every((k) => s[k] === status[k])) return;
    this.ctx.api.update('Deployment', d.metadata.namespace, d.metadata.name, (obj) => {
      obj.status = status;
    });
  }
}
