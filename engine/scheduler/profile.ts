/**
 * From a profile's configuration to the ordered plugin list of each extension point, exactly as
 * kube-scheduler builds it:
 *  1. mergePluginSet (pkg/scheduler/apis/config/v1/default_plugins.go): per extension point, the
 *     default set minus the disabled ones ('*' disables all defaults), custom entries replacing
 *     defaults of the same name in place, other custom entries appended;
 *  2. NewFramework + expandMultiPointPlugins (pkg/scheduler/framework/runtime/framework.go):
 *     per extension point, plugins enabled there explicitly, then multiPoint plugins that
 *     implement the point and are not disabled there (none when '*' is disabled there);
 *     explicitly re-configured multiPoint plugins keep their explicit position first;
 *  3. getScoreWeights: a score plugin's weight from the score point, else from multiPoint;
 *     0 or unset means 1.
 */
import { DEFAULT_MULTI_POINT, type PluginRef } from './default-plugins.js';
import { EXTENSION_POINTS, implementsPoint, type ExtensionPoint, type Registry } from './registry.js';
import type { Plugin } from './types.js';

export interface PluginSet {
  enabled: PluginRef[];
  disabled: { name: string }[];
}

export type PluginsConfig = Partial<Record<'multiPoint' | ExtensionPoint | string, PluginSet>>;

export interface ProfileConfig {
  schedulerName: string;
  percentageOfNodesToScore?: number;
  plugins?: PluginsConfig;
  pluginConfig?: { name: string; args?: Record<string, unknown> }[];
}

export interface BuiltProfile {
  schedulerName: string;
  percentageOfNodesToScore?: number;
  points: Record<ExtensionPoint, Plugin[]>;
  weights: Map<string, number>;
}

/** A configuration the framework refuses; `path` is inside the profile. */
export class ProfileError extends Error {
  constructor(
    readonly path: string,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`${path}: expected ${expected}, found ${found}`);
  }
}

export function mergePluginSet(defaults: PluginSet, custom: PluginSet | undefined): PluginSet {
  if (!custom) return { enabled: [...defaults.enabled], disabled: [...defaults.disabled] };
  const disabled = [...custom.disabled, ...defaults.disabled];
  const disabledNames = new Set(disabled.map((d) => d.name));
  const customIndex = new Map(custom.enabled.map((p, i) => [p.name, i]));
  const replaced = new Set<number>();
  const enabled: PluginRef[] = [];
  if (!disabledNames.has('*')) {
    for (const d of defaults.enabled) {
      if (disabledNames.has(d.name)) continue;
      const i = customIndex.get(d.name);
      if (i !== undefined) {
        replaced.add(i);
        enabled.push(custom.enabled[i]!);
      } else enabled.push(d);
    }
  }
  custom.enabled.forEach((p, i) => {
    if (!replaced.has(i)) enabled.push(p);
  });
  return { enabled, disabled };
}

const EMPTY: PluginSet = { enabled: [], disabled: [] };

export function buildProfile(config: ProfileConfig, registry: Registry, base = 'plugins'): BuiltProfile {
  const custom = config.plugins ?? {};
  const merged: Record<string, PluginSet> = { multiPoint: mergePluginSet({ enabled: [...DEFAULT_MULTI_POINT], disabled: [] }, custom.multiPoint) };
  for (const point of EXTENSION_POINTS) merged[point] = mergePluginSet(EMPTY, custom[point]);

  const args = new Map((config.pluginConfig ?? []).map((pc) => [pc.name, pc.args]));
  const instances = new Map<string, Plugin>();
  const instance = (name: string, path: string): Plugin => {
    let p = instances.get(name);
    if (p) return p;
    const factory = registry.get(name);
    if (!factory) throw new ProfileError(path, `a registered plugin (${[...registry.keys()].join(', ')})`, `"${name}"`);
    p = factory(args.get(name));
    instances.set(name, p);
    return p;
  };

  const points = {} as Record<ExtensionPoint, Plugin[]>;
  for (const point of EXTENSION_POINTS) {
    const set = merged[point]!;
    const enabled: string[] = [];
    set.enabled.forEach((ref, i) => {
      const path = `${base}.${point}.enabled[${i}].name`;
      const p = instance(ref.name, path);
      if (!implementsPoint(p, point)) throw new ProfileError(path, `a plugin that extends ${point}`, `"${ref.name}"`);
      if (enabled.includes(ref.name)) throw new ProfileError(path, `each plugin once in ${point}`, `"${ref.name}" a second time`);
      enabled.push(ref.name);
    });
    const disabled = new Set(set.disabled.map((d) => d.name));
    let order = enabled;
    if (!disabled.has('*')) {
      const override: string[] = [];
      const multi: string[] = [];
      merged.multiPoint!.enabled.forEach((ref, i) => {
        const p = instance(ref.name, `${base}.multiPoint.enabled[${i}].name`);
        if (!implementsPoint(p, point) || disabled.has(ref.name)) return;
        if (enabled.includes(ref.name)) {
          override.push(ref.name);
          return;
        }
        if (multi.includes(ref.name)) throw new ProfileError(`${base}.multiPoint.enabled[${i}].name`, 'each plugin once', `"${ref.name}" a second time`);
        multi.push(ref.name);
      });
      order = [...enabled.filter((n) => override.includes(n)), ...multi, ...enabled.filter((n) => !override.includes(n))];
    }
    points[point] = order.map((n) => instances.get(n)!);
  }

  const weights = new Map<string, number>();
  for (const ref of [...merged.score!.enabled, ...merged.multiPoint!.enabled]) {
    const p = instances.get(ref.name);
    if (!p || !implementsPoint(p, 'score') || weights.has(ref.name)) continue;
    weights.set(ref.name, ref.weight || 1);
  }
  return { schedulerName: config.schedulerName, percentageOfNodesToScore: config.percentageOfNodesToScore, points, weights };
}
