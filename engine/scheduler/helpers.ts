/**
 * Helpers several plugins share, each an upstream function:
 *  - defaultNormalizeScore: pkg/scheduler/framework/plugins/helper/normalize_score.go
 *  - toleratesTaint: re-exported from engine/api/tolerations.ts (controllers use it too)
 *  - node selector terms: re-exported from engine/api/node-selector.ts
 *  - pod affinity term matching: pkg/scheduler/framework/types.go AffinityTerm.Matches
 */
import { matchesSelector } from '../api/labels.js';
import type { LabelSelector } from '../api/types.js';
import type { AffinityTerm, NodeInfo, PodInfo } from './node-info.js';
import type { Snapshot } from './snapshot.js';

export { findUntoleratedTaint, tolerated, toleratesTaint } from '../api/tolerations.js';
export { nodeSelectorTermMatches, nodeSelectorTermsMatch } from '../api/node-selector.js';

/**
 * Scales scores to [0, maxPriority] by the highest one (integer division), reversed when asked;
 * all zero stays zero (or becomes maxPriority when reversed).
 */
export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: number[]): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  if (max === 0) {
    if (reverse) scores.fill(maxPriority);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    const s = Math.trunc((maxPriority * scores[i]!) / max);
    scores[i] = reverse ? maxPriority - s : s;
  }
}

/** AffinityTerm.Matches: the pod's namespace is selected (by name or namespace labels) and its labels match. */
export function termMatchesPod(term: AffinityTerm, pod: PodInfo, snapshot: Snapshot): boolean {
  if (!term.namespaces.has(pod.namespace)) {
    if (term.nsSelector === undefined) return false;
    const nsLabels = snapshot.namespaceLabels.get(pod.namespace) ?? { 'kubernetes.io/metadata.name': pod.namespace };
    if (!matchesSelector(term.nsSelector, nsLabels)) return false;
  }
  return matchesSelector(term.selector, pod.labels);
}

/**
 * The label-count key of a selector that is a single matchLabels pair (the common case, e.g.
 * `app: web`), or undefined for any other selector. Computed once per cycle per constraint.
 */
export function singleLabelKey(selector: LabelSelector, namespace: string): string | undefined {
  const ml = selector.matchLabels;
  if (selector.matchExpressions?.length || !ml) return undefined;
  let key: string | undefined;
  for (const k in ml) {
    if (key !== undefined) return undefined;
    key = `${namespace}\0${k}=${ml[k]}`;
  }
  return key;
}

/**
 * countPodsMatchSelector (podtopologyspread/common.go): pods in `namespace`, not terminating,
 * whose labels match. With a single-label key the node's label counts answer without a scan
 * (they count only pods not terminating, see NodeInfo.markTerminating).
 */
export function countPodsMatchSelector(node: NodeInfo, selector: LabelSelector, namespace: string, key = singleLabelKey(selector, namespace)): number {
  if (key !== undefined) return node.labelCounts.get(key) ?? 0;
  let count = 0;
  for (const p of node.pods) {
    if (p.isTerminating || p.namespace !== namespace) continue;
    if (matchesSelector(selector, p.labels)) count++;
  }
  return count;
}
