/**
 * The scheduling-related fields of a PodSpec and NodeSpec that engine/api/types.ts keeps as
 * untouched extra fields (affinity, topologySpreadConstraints, volumes, overhead, node images):
 * their k8s.io/api/core/v1 shapes, read here only by the scheduler.
 */
import type { Container, LabelSelector, Node, Pod } from '../api/types.js';

import type { NodeSelectorTerm } from '../api/node-selector.js';

export type { NodeSelectorRequirement, NodeSelectorTerm } from '../api/node-selector.js';

export interface PodAffinityTerm {
  labelSelector?: LabelSelector;
  namespaces?: string[];
  namespaceSelector?: LabelSelector;
  topologyKey: string;
  matchLabelKeys?: string[];
  mismatchLabelKeys?: string[];
}

export interface WeightedPodAffinityTerm {
  weight: number;
  podAffinityTerm: PodAffinityTerm;
}

export interface Affinity {
  nodeAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: NodeSelectorTerm[] };
    preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; preference: NodeSelectorTerm }[];
  };
  podAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
    preferredDuringSchedulingIgnoredDuringExecution?: WeightedPodAffinityTerm[];
  };
  podAntiAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
    preferredDuringSchedulingIgnoredDuringExecution?: WeightedPodAffinityTerm[];
  };
}

export interface TopologySpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  labelSelector?: LabelSelector;
  minDomains?: number;
  nodeAffinityPolicy?: 'Honor' | 'Ignore';
  nodeTaintsPolicy?: 'Honor' | 'Ignore';
  matchLabelKeys?: string[];
}

export interface SchedulingFields {
  affinity?: Affinity;
  topologySpreadConstraints?: TopologySpreadConstraint[];
  initContainers?: Container[];
  overhead?: Record<string, string | number>;
  volumes?: { name: string; persistentVolumeClaim?: { claimName: string } }[];
  preemptionPolicy?: 'PreemptLowerPriority' | 'Never';
}

export function schedulingFields(pod: Pod): SchedulingFields {
  return pod.spec as SchedulingFields;
}

export interface ContainerImage {
  names?: string[];
  sizeBytes?: number;
}

export function nodeImages(node: Node): ContainerImage[] {
  return ((node.status as { images?: ContainerImage[] }).images ?? []) as ContainerImage[];
}
