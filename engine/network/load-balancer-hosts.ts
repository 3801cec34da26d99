/**
 * Which nodes a cloud load balancer may send to: the service controller's node predicates
 * (kubernetes/kubernetes staging/src/k8s.io/cloud-provider/controllers/service/controller.go,
 * `stableNodeSetPredicates`, the set passed to EnsureLoadBalancer and UpdateLoadBalancer):
 *  - nodeIncludedPredicate: no `node.kubernetes.io/exclude-from-external-load-balancers` label,
 *    or one whose value parses (Go strconv.ParseBool) as false. "true", "" and any other value
 *    exclude: the empty value kubeadm writes on control-plane nodes excludes them
 *    (kubernetes/kubernetes#131085, in 1.34, made "false" include; before it any value excluded);
 *  - nodeUnTaintedPredicate: no `ToBeDeletedByClusterAutoscaler` taint (whatever its effect);
 *  - nodeNotDeletedPredicate: no deletionTimestamp. kubesim never deletes a Node, so it holds.
 * Readiness is not among them: since StableLoadBalancerNodeSet (KEP-3458, GA in 1.30) a
 * NotReady node stays in the LB's backends and the LB's own health checks take it out of
 * rotation, which CloudLoadBalancerEntry models. The set is computed from the nodes' labels and
 * taints as the controller's Node informer has them: once at the start, then again whenever
 * `kubectl label` or `kubectl taint` changes them (service-controller.ts).
 */
import type { Labels } from '../api/types.js';

/** k8s.io/api core/v1 well_known_labels.go LabelNodeExcludeBalancers. */
export const LABEL_NODE_EXCLUDE_BALANCERS = 'node.kubernetes.io/exclude-from-external-load-balancers';

/** The cluster autoscaler's taint on a node it is about to delete (controller.go ToBeDeletedTaint). */
export const TO_BE_DELETED_TAINT = 'ToBeDeletedByClusterAutoscaler';

/**
 * The spellings Go's strconv.ParseBool reads as false. Its true spellings (1, t, T, TRUE, true,
 * True) and every string it refuses (the empty value included) exclude the node.
 */
const PARSES_AS_FALSE: ReadonlySet<string> = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** nodeIncludedPredicate: the node may be a load-balancer backend as far as its labels go. */
export function nodeIncludedPredicate(labels: Labels): boolean {
  if (!Object.hasOwn(labels, LABEL_NODE_EXCLUDE_BALANCERS)) return true;
  return PARSES_AS_FALSE.has(labels[LABEL_NODE_EXCLUDE_BALANCERS]!);
}

/** nodeUnTaintedPredicate: the cluster autoscaler is not deleting the node. */
export function nodeUnTaintedPredicate(taints: readonly { key: string }[]): boolean {
  return !taints.some((t) => t.key === TO_BE_DELETED_TAINT);
}

/** Indexes (in node order) of the nodes that pass every predicate of the stable node set. */
export function loadBalancerHosts(nodes: readonly { labels: Labels; taints: readonly { key: string }[] }[]): number[] {
  const hosts: number[] = [];
  nodes.forEach((n, i) => {
    if (nodeIncludedPredicate(n.labels) && nodeUnTaintedPredicate(n.taints)) hosts.push(i);
  });
  return hosts;
}
