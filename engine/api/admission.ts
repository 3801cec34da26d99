/**
 * Admission the API server applies to a new pod before storing it.
 *
 * Priority (plugin/pkg/admission/priority): a pod naming a priorityClassName gets that class's
 * value as spec.priority (and its preemptionPolicy); a name with no class is refused
 * ("no PriorityClass with name X was found"); a pod naming none gets the globalDefault class,
 * else priority 0. The two system classes always exist (pkg/apis/scheduling/types.go:
 * system-cluster-critical 2000000000, system-node-critical 2000001000).
 *
 * DefaultTolerationSeconds
 * (plugin/pkg/admission/defaulttolerationseconds) gives every pod that does not already
 * tolerate them a 300 s toleration of the node.kubernetes.io/not-ready and unreachable
 * NoExecute taints: that is why the pods of a failed node are evicted five minutes after the
 * node goes NotReady, and not at once.
 */
import type { Pod, PriorityClass, Toleration } from './types.js';

export const SYSTEM_PRIORITY_CLASSES: Readonly<Record<string, number>> = Object.freeze({
  'system-cluster-critical': 2000000000,
  'system-node-critical': 2000001000,
});

/** What admission reads: the PriorityClasses in the store. */
export interface PriorityClassLister {
  get(kind: 'PriorityClass', namespace: undefined, name: string): PriorityClass | undefined;
  list(kind: 'PriorityClass'): PriorityClass[];
}

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
/** --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds. */
export const DEFAULT_TOLERATION_SECONDS = 300;

function toleratesNoExecute(tolerations: readonly Toleration[], key: string): boolean {
  return tolerations.some((t) => (t.effect === undefined || t.effect === 'NoExecute') && (t.key === key || (t.operator === 'Exists' && !t.key)));
}

/** Mutates the pod as admission does; returns the refusal message when the pod is refused. */
export function admitPod(pod: Pod, classes: PriorityClassLister): string | undefined {
  const refused = admitPriority(pod, classes);
  if (refused !== undefined) return refused;
  admitDefaultTolerations(pod);
  return undefined;
}

function admitPriority(pod: Pod, classes: PriorityClassLister): string | undefined {
  const name = pod.spec.priorityClassName;
  if (name === undefined || name === '') {
    const global = classes.list('PriorityClass').find((c) => c.globalDefault);
    if (global) {
      pod.spec.priorityClassName = global.metadata.name;
      pod.spec.priority = global.value;
      pod.spec.preemptionPolicy = global.preemptionPolicy ?? 'PreemptLowerPriority';
    } else pod.spec.priority ??= 0;
    return undefined;
  }
  const system = SYSTEM_PRIORITY_CLASSES[name];
  const cls = classes.get('PriorityClass', undefined, name);
  if (system === undefined && !cls) return `pods "${pod.metadata.name}" is forbidden: no PriorityClass with name ${name} was found`;
  pod.spec.priority = system ?? cls!.value;
  pod.spec.preemptionPolicy = cls?.preemptionPolicy ?? 'PreemptLowerPriority';
  return undefined;
}

function admitDefaultTolerations(pod: Pod): void {
  const tolerations = (pod.spec.tolerations ??= []);
  for (const key of [TAINT_NOT_READY, TAINT_UNREACHABLE]) {
    if (!toleratesNoExecute(tolerations, key)) {
      tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
    }
  }
}
