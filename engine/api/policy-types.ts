/**
 * policy/v1 PodDisruptionBudget (k8s.io/api/policy/v1 types.go), trimmed to the fields the
 * simulator reads; other fields a manifest carries are kept untouched. Re-exported by
 * engine/api/types.ts. Its status is written by the disruption controller
 * (engine/controllers/disruption.ts) and by the Eviction API (engine/api/eviction.ts).
 */
import type { LabelSelector, ObjectMeta } from './types.js';

export type UnhealthyPodEvictionPolicy = 'IfHealthyBudget' | 'AlwaysAllow';

/** metav1.Condition of type DisruptionAllowed (policy/v1 DisruptionAllowedCondition). */
export interface DisruptionAllowedCondition {
  type: 'DisruptionAllowed';
  status: 'True' | 'False';
  /** SufficientPods, InsufficientPods or SyncFailed (policy/v1 *Reason constants). */
  reason: string;
  message: string;
  observedGeneration: number;
  /** Simulated seconds. */
  lastTransitionTime: number;
}

export interface PodDisruptionBudgetStatus {
  observedGeneration: number;
  /** Pod name -> simulated time the Eviction API approved its eviction, until the controller sees it deleted. */
  disruptedPods: Record<string, number>;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  conditions: DisruptionAllowedCondition[];
}

export interface PodDisruptionBudget {
  apiVersion: 'policy/v1';
  kind: 'PodDisruptionBudget';
  metadata: ObjectMeta;
  spec: {
    minAvailable?: number | string;
    maxUnavailable?: number | string;
    selector?: LabelSelector;
    unhealthyPodEvictionPolicy?: UnhealthyPodEvictionPolicy;
    [extra: string]: unknown;
  };
  status?: PodDisruptionBudgetStatus;
}
