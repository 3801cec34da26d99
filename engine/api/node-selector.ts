/**
 * Node selectors, node affinity and taint toleration as controllers evaluate them outside the
 * scheduler (the DaemonSet controller's predicates, a local PersistentVolume's node affinity):
 * the k8s.io/component-helpers/scheduling/corev1 functions, over the core/v1 shapes below.
 *  - nodeSelectorTermsMatch: nodeaffinity.NodeSelector.Match (terms ORed, requirements ANDed,
 *    an empty term matches nothing; matchFields know only `metadata.name`);
 *  - requiredNodeAffinityMatches: nodeaffinity.GetRequiredNodeAffinity(pod).Match(node);
 *  - toleratesTaint, findUntoleratedTaint: re-exported from ./tolerations.ts.
 * The scheduler's plugins use the same functions (engine/scheduler/helpers.ts re-exports them).
 */
import type { Labels, PodSpec } from './types.js';

/** One rule of a node selector term (core/v1 NodeSelectorRequirement); `matchFields` take only `metadata.name`. */
export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

/** core/v1 NodeSelector: the terms are ORed. */
export interface NodeSelector {
  nodeSelectorTerms: NodeSelectorTerm[];
}

/** core/v1 Affinity's node part, as PodSpec carries it (`spec.affinity.nodeAffinity`). */
export interface NodeAffinity {
  requiredDuringSchedulingIgnoredDuringExecution?: NodeSelector;
  preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; preference: NodeSelectorTerm }[];
}

/** metav1.ObjectNameField: the one field node selector `matchFields` may name. */
export const OBJECT_NAME_FIELD = 'metadata.name';

/** The pod's `spec.affinity.nodeAffinity` (an extra field of PodSpec in engine/api/types.ts). */
export function podNodeAffinity(spec: PodSpec): NodeAffinity | undefined {
  return (spec.affinity as { nodeAffinity?: NodeAffinity } | undefined)?.nodeAffinity;
}

function requirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      // Both sides must be integers (labels.Requirement with selection.GreaterThan / LessThan).
      if (value === undefined || values.length !== 1 || !/^-?\d+$/.test(value) || !/^-?\d+$/.test(values[0]!)) return false;
      return r.operator === 'Gt' ? Number(value) > Number(values[0]) : Number(value) < Number(values[0]);
    }
    default:
      return false;
  }
}

export function nodeSelectorTermMatches(term: NodeSelectorTerm, labels: Labels, nodeName: string): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  for (const r of exprs) if (!requirementMatches(r, Object.hasOwn(labels, r.key) ? labels[r.key] : undefined)) return false;
  for (const r of fields) if (!requirementMatches(r, r.key === OBJECT_NAME_FIELD ? nodeName : undefined)) return false;
  return true;
}

export function nodeSelectorTermsMatch(terms: readonly NodeSelectorTerm[], labels: Labels, nodeName: string): boolean {
  return terms.some((t) => nodeSelectorTermMatches(t, labels, nodeName));
}

/** spec.nodeSelector (every pair) and the required node affinity terms both hold. */
export function requiredNodeAffinityMatches(spec: PodSpec, labels: Labels, nodeName: string): boolean {
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = podNodeAffinity(spec)?.requiredDuringSchedulingIgnoredDuringExecution;
  return required === undefined || nodeSelectorTermsMatch(required.nodeSelectorTerms, labels, nodeName);
}

export { findUntoleratedTaint, toleratesTaint } from './tolerations.js';
