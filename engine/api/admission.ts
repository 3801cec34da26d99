/**
 * Admission the API server applies to a new pod before storing it. DefaultTolerationSeconds
 * (plugin/pkg/admission/defaulttolerationseconds) gives every pod that does not already
 * tolerate them a 300 s toleration of the node.kubernetes.io/not-ready and unreachable
 * NoExecute taints: that is why the pods of a failed node are evicted five minutes after the
 * node goes NotReady, and not at once.
 */
import type { Pod, Toleration } from './types.js';

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
/** --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds. */
export const DEFAULT_TOLERATION_SECONDS = 300;

function toleratesNoExecute(tolerations: readonly Toleration[], key: string): boolean {
  return tolerations.some((t) => (t.effect === undefined || t.effect === 'NoExecute') && (t.key === key || (t.operator === 'Exists' && !t.key)));
}

export function admitPod(pod: Pod): void {
  const tolerations = (pod.spec.tolerations ??= []);
  for (const key of [TAINT_NOT_READY, TAINT_UNREACHABLE]) {
    if (!toleratesNoExecute(tolerations, key)) {
      tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
    }
  }
}
