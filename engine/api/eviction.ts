/**
 * The Eviction API, `POST pods/NAME/eviction` (pkg/registry/core/pod/storage/eviction.go): a
 * pod is deleted gracefully only if the PodDisruptionBudget that selects it allows one more
 * disruption, in which case the budget is decremented and the pod recorded in
 * status.disruptedPods first, with an Update carrying the resourceVersion read (a conflicting
 * write is retried on fresh state, as retry.RetryOnConflict(EvictionsRetry) does).
 *
 * Answers, as HTTP status codes: 201 evicted (upstream's Status Success), 404 no such pod,
 * 429 the budget is exhausted or not yet observed, 500 the pod has more than one budget,
 * 403 a corrupt budget, 504 conflicts outlasted the retries. Refusals are decided on the state
 * committed at the time of the request; an approval answers once the pod's deletion committed.
 * DryRun and the DisruptionTarget pod condition are not modelled.
 */
import type { ClusterContext } from './context.js';
import { matchesSelector } from './labels.js';
import { deletePod, isPodReady } from './pod-lifecycle.js';
import { statusOf, updateDisruptionAllowedCondition } from './poddisruptionbudget.js';
import type { Pod, PodDisruptionBudget } from './types.js';

export interface EvictionResponse {
  code: 201 | 403 | 404 | 429 | 500 | 504;
  message: string;
}

/** eviction.go MaxDisruptedPodSize. */
const MAX_DISRUPTED_POD_SIZE = 2000;
/** EvictionsRetry: 20 steps 500 ms apart (its 10% jitter left out: the retries are deterministic here). */
const RETRY_STEPS = 20;
const RETRY_INTERVAL = 0.5;

export const TOO_MANY_REQUESTS = "Cannot evict pod as it would violate the pod's disruption budget.";
export const MULTIPLE_BUDGETS = 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.';

/** canIgnorePDB: a finished, pending or already terminating pod disrupts nothing more. */
function canIgnorePDB(pod: Pod): boolean {
  const phase = pod.status?.phase ?? 'Pending';
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || pod.metadata.deletionTimestamp !== undefined;
}

/** shouldEnforceResourceVersion: a pending pod could become ready meanwhile. */
function shouldEnforceResourceVersion(pod: Pod): boolean {
  const phase = pod.status?.phase ?? 'Pending';
  return phase !== 'Succeeded' && phase !== 'Failed' && pod.metadata.deletionTimestamp === undefined;
}

/** getPodDisruptionBudgets: a budget with a missing or empty selector matches nothing here. */
export function budgetsForPod(ctx: ClusterContext, pod: Pod): PodDisruptionBudget[] {
  return ctx.api.list('PodDisruptionBudget', pod.metadata.namespace).filter((pdb) => {
    const s = pdb.spec?.selector;
    const empty = !s || (Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0);
    return !empty && matchesSelector(s, pod.metadata.labels);
  });
}

export function evictPod(ctx: ClusterContext, namespace: string, name: string, gracePeriodSeconds: number | undefined, done: (r: EvictionResponse) => void): void {
  attempt(ctx, namespace, name, gracePeriodSeconds, done, 1);
}

function notFound(name: string): EvictionResponse {
  return { code: 404, message: `pods "${name}" not found` };
}

function attempt(ctx: ClusterContext, namespace: string, name: string, grace: number | undefined, done: (r: EvictionResponse) => void, step: number): void {
  const pod = ctx.api.get('Pod', namespace, name);
  if (!pod) return done(notFound(name));
  const retry = () => {
    if (step >= RETRY_STEPS) return done({ code: 504, message: `couldn't update PodDisruptionBudget due to conflicts` });
    ctx.sim.after(RETRY_INTERVAL, () => attempt(ctx, namespace, name, grace, done, step + 1));
  };
  const deleteThen = (resourceVersion: string | undefined, onConflict: () => void) =>
    deletePod(ctx, pod, grace, (result) => {
      if (result === 'ok') done({ code: 201, message: '' });
      else if (result === 'NotFound') done(notFound(name));
      else onConflict();
    }, resourceVersion);

  if (canIgnorePDB(pod)) return deleteThen(shouldEnforceResourceVersion(pod) ? pod.metadata.resourceVersion : undefined, retry);

  const pdbs = budgetsForPod(ctx, pod);
  if (pdbs.length > 1) return done({ code: 500, message: MULTIPLE_BUDGETS });
  if (pdbs.length === 0) return deleteThen(undefined, retry);
  const pdb = pdbs[0]!;
  const status = statusOf(pdb);
  // An unready pod does not count towards currentHealthy: evicting it takes nothing from the
  // budget, if the budget is met (IfHealthyBudget, the default) or whatever it is (AlwaysAllow).
  // The delete is then conditional on the pod's resourceVersion, so a pod that became ready meanwhile is refused.
  if (!isPodReady(pod)) {
    const alwaysAllow = pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow';
    if (alwaysAllow || (status.currentHealthy >= status.desiredHealthy && status.desiredHealthy > 0)) {
      return deleteThen(pod.metadata.resourceVersion, () => done({ code: 429, message: TOO_MANY_REQUESTS }));
    }
  }
  checkAndDecrement(ctx, pod, pdb, (refused) => {
    if (refused) return done(refused);
    deleteThen(undefined, retry);
  }, retry);
}

/** checkAndDecrement: refuse, or write the decremented budget (conditional on its resourceVersion). */
function checkAndDecrement(ctx: ClusterContext, pod: Pod, pdb: PodDisruptionBudget, then: (refused?: EvictionResponse) => void, onConflict: () => void): void {
  const status = statusOf(pdb);
  if (status.observedGeneration < (pdb.metadata.generation ?? 1)) return then({ code: 429, message: TOO_MANY_REQUESTS });
  if (status.disruptionsAllowed < 0) {
    return then({ code: 403, message: `poddisruptionbudgets.policy "${pdb.metadata.name}" is forbidden: pdb disruptions allowed is negative` });
  }
  if (Object.keys(status.disruptedPods).length > MAX_DISRUPTED_POD_SIZE) {
    return then({ code: 403, message: `poddisruptionbudgets.policy "${pdb.metadata.name}" is forbidden: DisruptedPods map too big - too many evictions not confirmed by PDB controller` });
  }
  if (status.disruptionsAllowed === 0) return then({ code: 429, message: TOO_MANY_REQUESTS });
  const now = ctx.sim.now;
  const next = { ...status, disruptedPods: { ...status.disruptedPods, [pod.metadata.name]: now }, conditions: status.conditions.map((c) => ({ ...c })) };
  next.disruptionsAllowed--;
  if (next.disruptionsAllowed === 0) updateDisruptionAllowedCondition(next, now);
  ctx.api.update(
    'PodDisruptionBudget',
    pdb.metadata.namespace,
    pdb.metadata.name,
    (p) => {
      p.status = next;
    },
    (result) => {
      if (result === 'ok') then();
      else onConflict(); // Conflict (or the budget deleted meanwhile): start over on fresh state
    },
    pdb.metadata.resourceVersion,
  );
}
