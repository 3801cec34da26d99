/**
 * The in-tree registry: plugin name -> factory (pkg/scheduler/framework/plugins/registry.go).
 * Users add their own plugins through the library API (`withPlugins`), never from a scenario.
 */
import { defaultPreemption } from './plugins/default-preemption.js';
import { imageLocality } from './plugins/image-locality.js';
import { interPodAffinity } from './plugins/inter-pod-affinity.js';
import { nodeAffinity } from './plugins/node-affinity.js';
import { nodeName } from './plugins/node-name.js';
import { nodePorts } from './plugins/node-ports.js';
import { nodeResourcesBalancedAllocation } from './plugins/node-resources-balanced-allocation.js';
import { nodeResourcesFit } from './plugins/node-resources-fit.js';
import { nodeUnschedulable } from './plugins/node-unschedulable.js';
import { marker, skippingFilter } from './plugins/no-op.js';
import { podTopologySpread } from './plugins/pod-topology-spread.js';
import { taintToleration } from './plugins/taint-toleration.js';
import { volumeBinding } from './plugins/volume-binding.js';
import type { Plugin, PluginFactory } from './types.js';

export type Registry = ReadonlyMap<string, PluginFactory>;

export const IN_TREE_REGISTRY: Registry = new Map<string, PluginFactory>([
  ['SchedulingGates', marker('SchedulingGates')],
  ['PrioritySort', marker('PrioritySort')],
  ['NodeUnschedulable', () => nodeUnschedulable()],
  ['NodeName', () => nodeName()],
  ['TaintToleration', () => taintToleration()],
  ['NodeAffinity', (a) => nodeAffinity(a)],
  ['NodePorts', () => nodePorts()],
  ['NodeResourcesFit', (a) => nodeResourcesFit(a)],
  ['VolumeRestrictions', skippingFilter('VolumeRestrictions')],
  ['NodeVolumeLimits', skippingFilter('NodeVolumeLimits')],
  ['VolumeBinding', () => volumeBinding()],
  ['VolumeZone', skippingFilter('VolumeZone')],
  ['PodTopologySpread', (a) => podTopologySpread(a)],
  ['InterPodAffinity', (a) => interPodAffinity(a)],
  ['DefaultPreemption', () => defaultPreemption()],
  ['NodeResourcesBalancedAllocation', (a) => nodeResourcesBalancedAllocation(a)],
  ['ImageLocality', () => imageLocality()],
  ['DefaultBinder', marker('DefaultBinder')],
]);

/** The registry with user plugins added (out-of-tree plugins, as a custom scheduler build has). */
export function withPlugins(base: Registry, extra: Record<string, PluginFactory>): Registry {
  const out = new Map(base);
  for (const [name, f] of Object.entries(extra)) {
    if (out.has(name)) throw new Error(`plugin "${name}" is already registered`);
    out.set(name, f);
  }
  return out;
}

/** Which extension points a plugin implements, from the instance (reflect.TypeOf(pg).Implements upstream). */
export function implementsPoint(plugin: Plugin, point: ExtensionPoint): boolean {
  switch (point) {
    case 'preFilter':
      return plugin.preFilter !== undefined;
    case 'filter':
      return plugin.filter !== undefined;
    case 'postFilter':
      return plugin.postFilter !== undefined;
    case 'preScore':
      return plugin.preScore !== undefined;
    case 'score':
      return plugin.score !== undefined;
  }
}

export const EXTENSION_POINTS = ['preFilter', 'filter', 'postFilter', 'preScore', 'score'] as const;
export type ExtensionPoint = (typeof EXTENSION_POINTS)[number];

/** Extension points a configuration may name that kubesim runs outside the framework's cycle. */
export const OTHER_EXTENSION_POINTS = ['preEnqueue', 'queueSort', 'reserve', 'permit', 'preBind', 'bind', 'postBind'] as const;
