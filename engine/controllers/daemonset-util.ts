/**
 * The DaemonSet controller's pure rules (pkg/controller/daemon/util/daemonset_util.go and
 * daemon_controller.go NodeShouldRunDaemonPod / predicates): the tolerations every daemon pod
 * gets, the node-name affinity that pins a pod to its node, and whether a node should run
 * (or keep running) the daemon pod.
 */
import { findUntoleratedTaint, OBJECT_NAME_FIELD, podNodeAffinity, requiredNodeAffinityMatches, type NodeAffinity } from '../api/node-selector.js';
import { scaledValue } from '../api/intstr.js';
import { apiTime } from '../api/meta-time.js';
import type { DaemonSet, Node, Pod, PodSpec, Toleration } from '../api/types.js';

/** Labels upstream puts on daemon pods (apps/v1 DefaultDaemonSetUniqueLabelKey, DaemonSetTemplateGenerationKey). */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';
export const POD_TEMPLATE_GENERATION_LABEL = 'pod-template-generation';

/**
 * AddOrUpdateDaemonPodTolerations, in upstream's order: daemon pods survive node problems
 * (not-ready and unreachable NoExecute, forever) and are placed on nodes under pressure or
 * cordoned (the NoSchedule taints); hostNetwork pods also tolerate network-unavailable.
 */
export function daemonPodTolerations(spec: PodSpec): Toleration[] {
  const added: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (spec.hostNetwork === true) added.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  let tolerations = [...(spec.tolerations ?? [])];
  for (const t of added) tolerations = addOrUpdateToleration(tolerations, t);
  return tolerations;
}

/** v1helper.AddOrUpdateTolerationInPodSpec: replaces a toleration with the same key, operator, value and effect, else appends. */
function addOrUpdateToleration(tolerations: Toleration[], t: Toleration): Toleration[] {
  const same = (o: Toleration) =>
    (o.key ?? '') === (t.key ?? '') && (o.operator ?? 'Equal') === (t.operator ?? 'Equal') && (o.value ?? '') === (t.value ?? '') && o.effect === t.effect;
  const i = tolerations.findIndex(same);
  if (i < 0) return [...tolerations, t];
  const out = tolerations.slice();
  out[i] = t;
  return out;
}

/**
 * ReplaceDaemonSetPodNodeNameNodeAffinity: the pod's required node affinity becomes the one
 * term `metadata.name In [node]` (other required terms were already checked by the controller);
 * preferred terms are kept.
 */
export function pinToNode(spec: PodSpec, nodeName: string): NodeAffinity {
  const affinity = podNodeAffinity(spec) ?? {};
  return {
    ...affinity,
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [{ matchFields: [{ key: OBJECT_NAME_FIELD, operator: 'In', values: [nodeName] }] }],
    },
  };
}

/** util.GetTargetNodeName: the node a daemon pod is bound to, or pinned to by its affinity. */
export function targetNodeName(pod: Pod): string | undefined {
  if (pod.spec.nodeName) return pod.spec.nodeName;
  for (const term of podNodeAffinity(pod.spec)?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of term.matchFields ?? []) {
      if (f.key === OBJECT_NAME_FIELD && f.operator === 'In' && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}

/**
 * NodeShouldRunDaemonPod: the daemon pod (template + automatic tolerations) fits the node's
 * name, node selector, required node affinity and taints. `shouldRun`: no untolerated
 * NoSchedule or NoExecute taint; `shouldContinueRunning`: no untolerated NoExecute taint.
 * spec.unschedulable is not consulted: daemon pods tolerate it.
 */
export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): { shouldRun: boolean; shouldContinueRunning: boolean } {
  const spec = ds.spec.template.spec;
  const name = node.metadata.name;
  const fitsName = !spec.nodeName || spec.nodeName === name;
  if (!fitsName || !requiredNodeAffinityMatches(spec, node.metadata.labels ?? {}, name)) return { shouldRun: false, shouldContinueRunning: false };
  const tolerations = daemonPodTolerations(spec);
  const taints = node.spec.taints;
  const noExecute = findUntoleratedTaint(taints, tolerations, (t) => t.effect === 'NoExecute');
  const noSchedule = findUntoleratedTaint(taints, tolerations, (t) => t.effect === 'NoSchedule');
  return { shouldRun: !noExecute && !noSchedule, shouldContinueRunning: !noExecute };
}

/** util.IsPodUpdated: the pod carries the DaemonSet's current template hash or template generation. */
export function isDaemonPodUpdated(pod: Pod, hash: string, generation: number | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  return labels[CONTROLLER_REVISION_HASH_LABEL] === hash || (generation !== undefined && labels[POD_TEMPLATE_GENERATION_LABEL] === String(generation));
}

/** The IntOrString of a rolling update scaled by `total`, or `fallback` when unset. */
export function scaledOrDefault(value: number | string | undefined, total: number, roundUp: boolean, fallback: number): number {
  return value === undefined ? fallback : scaledValue(value, total, roundUp);
}

/**
 * podByCreationTimestampAndPhase (daemon_controller.go), the order of the daemon pods of one
 * node: podsShouldBeOnNode keeps the first of the running ones and deletes the rest, and
 * updateDaemonSetStatus counts the first. Pods bound to a node (spec.nodeName) come first;
 * then the older creationTimestamp, compared as the informer holds it, in whole seconds
 * (CreationTimestamp.Equal / Before on metav1.Time, engine/api/meta-time.ts): two pods created
 * within the same second are equal here, and the lower name comes first.
 */
export function podByCreationTimestampAndPhase(a: Pod, b: Pod): number {
  const boundA = a.spec.nodeName ? 0 : 1;
  const boundB = b.spec.nodeName ? 0 : 1;
  if (boundA !== boundB) return boundA - boundB;
  // Go's zero time (no timestamp) is before any real one.
  const ta = apiTime(a.metadata.creationTimestamp) ?? -Infinity;
  const tb = apiTime(b.metadata.creationTimestamp) ?? -Infinity;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}
