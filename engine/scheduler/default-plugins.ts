/**
 * The default profile's plugins and score weights, as kube-scheduler v1 configures them through
 * multiPoint (pkg/scheduler/apis/config/v1/default_plugins.go getDefaultPlugins). Order matters:
 * it is the order plugins run at every extension point.
 */
export interface PluginRef {
  name: string;
  weight?: number;
}

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export const DEFAULT_MULTI_POINT: readonly PluginRef[] = Object.freeze([
  { name: 'SchedulingGates' },
  { name: 'PrioritySort' },
  { name: 'NodeUnschedulable' },
  { name: 'NodeName' },
  { name: 'TaintToleration', weight: 3 },
  { name: 'NodeAffinity', weight: 2 },
  { name: 'NodePorts' },
  { name: 'NodeResourcesFit', weight: 1 },
  { name: 'VolumeRestrictions' },
  { name: 'NodeVolumeLimits' },
  { name: 'VolumeBinding' },
  { name: 'VolumeZone' },
  { name: 'PodTopologySpread', weight: 2 },
  { name: 'InterPodAffinity', weight: 2 },
  { name: 'DefaultPreemption' },
  { name: 'NodeResourcesBalancedAllocation', weight: 1 },
  { name: 'ImageLocality', weight: 1 },
  { name: 'DefaultBinder' },
]);
