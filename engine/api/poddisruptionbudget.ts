/**
 * PodDisruptionBudget helpers shared by the disruption controller and the Eviction API, as
 * k8s.io/component-helpers/apps/poddisruptionbudget has them (UpdateDisruptionAllowedCondition,
 * ConditionsAreUpToDate), plus the status a PDB has before the controller first writes it.
 */
import type { DisruptionAllowedCondition, PodDisruptionBudget, PodDisruptionBudgetStatus } from './policy-types.js';

/** The zero status of a new PDB: observedGeneration 0 < generation 1, so evictions wait for the controller. */
export function statusOf(pdb: PodDisruptionBudget): PodDisruptionBudgetStatus {
  return (
    pdb.status ?? { observedGeneration: 0, disruptedPods: {}, disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, conditions: [] }
  );
}

/** apimeta.SetStatusCondition: lastTransitionTime moves only when the status flips. */
export function setDisruptionAllowedCondition(status: PodDisruptionBudgetStatus, cond: Omit<DisruptionAllowedCondition, 'type' | 'lastTransitionTime'>, now: number): void {
  const existing = status.conditions.find((c) => c.type === 'DisruptionAllowed');
  if (!existing) {
    status.conditions.push({ type: 'DisruptionAllowed', ...cond, lastTransitionTime: now });
    return;
  }
  if (existing.status !== cond.status) existing.lastTransitionTime = now;
  existing.status = cond.status;
  existing.reason = cond.reason;
  existing.message = cond.message;
  existing.observedGeneration = cond.observedGeneration;
}

/** pdbhelper.UpdateDisruptionAllowedCondition. */
export function updateDisruptionAllowedCondition(status: PodDisruptionBudgetStatus, now: number): void {
  const allowed = status.disruptionsAllowed > 0;
  setDisruptionAllowedCondition(
    status,
    { status: allowed ? 'True' : 'False', reason: allowed ? 'SufficientPods' : 'InsufficientPods', message: '', observedGeneration: status.observedGeneration },
    now,
  );
}

/** pdbhelper.ConditionsAreUpToDate. */
export function conditionsAreUpToDate(pdb: PodDisruptionBudget): boolean {
  const status = statusOf(pdb);
  const cond = status.conditions.find((c) => c.type === 'DisruptionAllowed');
  if (!cond || status.observedGeneration !== pdb.metadata.generation) return false;
  if (status.disruptionsAllowed > 0) return cond.status === 'True' && cond.reason === 'SufficientPods';
  return cond.status === 'False' && cond.reason === 'InsufficientPods';
}
