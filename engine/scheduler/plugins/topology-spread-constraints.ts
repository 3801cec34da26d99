/**
 * The constraints PodTopologySpread works with: the pod's own (with matchLabelKeys merged into
 * the selector), or, when it has none, the profile's default constraints with a selector built
 * from the Services and the controlling ReplicaSet that select the pod (helper.DefaultSelector).
 * Upstream: pkg/scheduler/framework/plugins/podtopologyspread/common.go,
 * pkg/scheduler/framework/plugins/helper/spread.go
 */
import { matchesMap, matchesSelector } from '../../api/labels.js';
import type { LabelSelector, LabelSelectorRequirement, Labels } from '../../api/types.js';
import { tolerated } from '../helpers.js';
import type { NodeInfo, PodInfo } from '../node-info.js';
import { schedulingFields, type TopologySpreadConstraint } from '../pod-spec.js';
import type { Snapshot } from '../snapshot.js';
import { requiredNodeAffinityMatches } from './node-affinity.js';

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_ZONE = 'topology.kubernetes.io/zone';

/** The system defaults (pkg/scheduler/apis/config/v1/defaults.go): hostname skew 3, zone skew 5, soft. */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly TopologySpreadConstraint[] = Object.freeze([
  { topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: LABEL_ZONE, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
]);

export interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: LabelSelector;
  minDomains: number;
  /** Node inclusion policies (NodeInclusionPolicyInPodTopologySpread, on by default): Honor / Ignore. */
  honorNodeAffinity: boolean;
  honorNodeTaints: boolean;
}

function withMatchLabelKeys(selector: LabelSelector | undefined, keys: readonly string[] | undefined, podLabels: Labels): LabelSelector {
  const base: LabelSelector = selector ?? {};
  if (!keys?.length) return base;
  const extra: LabelSelectorRequirement[] = [];
  for (const k of keys) if (Object.hasOwn(podLabels, k)) extra.push({ key: k, operator: 'In', values: [podLabels[k]!] });
  return { matchLabels: base.matchLabels, matchExpressions: [...(base.matchExpressions ?? []), ...extra] };
}

export function toConstraint(c: TopologySpreadConstraint, selector: LabelSelector): Constraint {
  return {
    maxSkew: c.maxSkew,
    topologyKey: c.topologyKey,
    selector,
    minDomains: c.minDomains ?? 1,
    honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
    honorNodeTaints: (c.nodeTaintsPolicy ?? 'Ignore') === 'Honor',
  };
}

/** filterTopologySpreadConstraints: the pod's constraints with the given whenUnsatisfiable. */
export function podConstraints(pod: PodInfo, action: 'DoNotSchedule' | 'ScheduleAnyway'): Constraint[] {
  const own = schedulingFields(pod.pod).topologySpreadConstraints ?? [];
  return own.filter((c) => c.whenUnsatisfiable === action).map((c) => toConstraint(c, withMatchLabelKeys(c.labelSelector, c.matchLabelKeys, pod.labels)));
}

/** helper.DefaultSelector: Service selectors merged, plus the controlling ReplicaSet's selector. */
export function defaultSelector(pod: PodInfo, snapshot: Snapshot): LabelSelector | undefined {
  const matchLabels: Labels = {};
  const matchExpressions: LabelSelectorRequirement[] = [];
  const add = (k: string, v: string): void => {
    if (Object.hasOwn(matchLabels, k) && matchLabels[k] !== v) matchExpressions.push({ key: k, operator: 'In', values: [v] });
    else matchLabels[k] = v;
  };
  for (const s of snapshot.services) {
    if ((s.metadata.namespace ?? 'default') !== pod.namespace || !matchesMap(s.spec.selector, pod.labels)) continue;
    for (const [k, v] of Object.entries(s.spec.selector!)) add(k, v);
  }
  const owner = pod.pod.metadata.ownerReferences?.find((o) => o.controller);
  if (owner?.kind === 'ReplicaSet') {
    const rs = snapshot.replicaSets.find((r) => r.metadata.name === owner.name && (r.metadata.namespace ?? 'default') === pod.namespace);
    if (rs) {
      for (const [k, v] of Object.entries(rs.spec.selector.matchLabels ?? {})) add(k, v);
      matchExpressions.push(...(rs.spec.selector.matchExpressions ?? []));
    }
  }
  if (Object.keys(matchLabels).length === 0 && matchExpressions.length === 0) return undefined;
  return matchExpressions.length ? { matchLabels, matchExpressions } : { matchLabels };
}

export function buildDefaultConstraints(
  pod: PodInfo,
  snapshot: Snapshot,
  defaults: readonly TopologySpreadConstraint[],
  action: 'DoNotSchedule' | 'ScheduleAnyway',
): Constraint[] {
  const wanted = defaults.filter((c) => c.whenUnsatisfiable === action);
  if (wanted.length === 0) return [];
  const selector = defaultSelector(pod, snapshot);
  if (!selector) return [];
  return wanted.map((c) => toConstraint(c, selector));
}

/** nodeLabelsMatchSpreadConstraints: the node carries every constraint's topology key. */
export function nodeHasAllTopologyKeys(labels: Labels, constraints: readonly Constraint[]): boolean {
  for (const c of constraints) if (!Object.hasOwn(labels, c.topologyKey)) return false;
  return true;
}

/** matchNodeInclusionPolicies. */
export function nodeIncluded(c: Constraint, pod: PodInfo, node: NodeInfo): boolean {
  if (c.honorNodeAffinity && !requiredNodeAffinityMatches(pod, node.labels, node.name)) return false;
  if (c.honorNodeTaints) {
    for (const t of node.hardTaints) if (!tolerated(pod.pod.spec.tolerations, t)) return false;
  }
  return true;
}

export function selectorMatchesPod(c: Constraint, pod: PodInfo): boolean {
  return matchesSelector(c.selector, pod.labels);
}
