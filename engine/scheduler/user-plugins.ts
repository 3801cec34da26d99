/**
 * Out-of-tree scheduler plugins from a user's JavaScript module (`--plugin FILE` on the CLI),
 * the way a custom kube-scheduler build registers its own plugins next to the in-tree ones
 * (app.WithPlugin). The module exports plugin factories by plugin name, either as named exports
 * or as the properties of its default export:
 *
 *   export function PreferLowNodeNames() {
 *     return { name: 'PreferLowNodeNames', score(state, pod, node) { return 100 - node.index; } };
 *   }
 *
 * Each factory gets the plugin's args from the configuration's pluginConfig (undefined when
 * none) and returns a plugin of the framework's shape (engine/scheduler/types.ts: name, and any
 * of preFilter, filter, preScore, score, normalizeScore); a preFilter or filter rejects with a
 * plain `{code: 'Unschedulable', reasons: ['...']}` (or null for Success). A pod a user plugin
 * rejected is retried on every cluster event, as upstream retries pods rejected by a plugin that
 * does not implement EnqueueExtensions (queueing-hints.ts). A registered plugin is used only if a
 * KubeSchedulerConfiguration enables it by name; scenario files can name plugins but never load
 * code. Loading reads a file, so it lives with the CLI's callers; the engine only sees the
 * resulting Registry.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ScenarioError } from '../scenario/errors.js';
import { IN_TREE_REGISTRY, withPlugins, type Registry } from './registry.js';
import { Status, type Code, type MaybeStatus, type Plugin, type PluginFactory } from './types.js';

const POINTS = ['preFilter', 'filter', 'postFilter', 'preScore', 'score', 'scoreNodes', 'normalizeScore'] as const;

/** Checks one factory by building the plugin once without args (errors name the file and export). */
function checkFactory(file: string, exportName: string, factory: unknown): PluginFactory {
  if (typeof factory !== 'function') throw new ScenarioError(file, exportName, 'a plugin factory (a function returning a plugin)', typeof factory);
  let plugin: unknown;
  try {
    plugin = (factory as PluginFactory)(undefined);
  } catch (e) {
    throw new ScenarioError(file, exportName, 'a factory that builds its plugin without args', `an error: ${(e as Error).message}`);
  }
  if (typeof plugin !== 'object' || plugin === null) throw new ScenarioError(file, exportName, 'a factory returning a plugin object', String(plugin));
  const p = plugin as Record<string, unknown>;
  if (p.name !== exportName) throw new ScenarioError(file, `${exportName}().name`, `the export's name "${exportName}"`, JSON.stringify(p.name));
  for (const point of POINTS) {
    if (p[point] !== undefined && typeof p[point] !== 'function') throw new ScenarioError(file, `${exportName}().${point}`, 'a function', typeof p[point]);
  }
  if (p.filter === undefined && p.score === undefined && p.preFilter === undefined && p.preScore === undefined) {
    throw new ScenarioError(file, exportName, 'a plugin with a filter or score extension point', 'none');
  }
  return withStatuses(factory as PluginFactory);
}

/** A plain `{code, reasons}` returned by a user's preFilter, filter or preScore, made a Status. */
function toStatus(s: unknown): MaybeStatus {
  if (s === null || s === undefined || s instanceof Status) return (s ?? null) as MaybeStatus;
  const { code, reasons } = s as { code: Code; reasons?: string[] };
  return new Status(code, reasons ?? []);
}

function withStatuses(factory: PluginFactory): PluginFactory {
  return (args) => {
    const p = factory(args);
    // Methods read from the instance (prototype methods of a class included), bound to it.
    const out: Plugin = { name: p.name };
    if (p.postFilter) out.postFilter = p.postFilter.bind(p);
    if (p.score) out.score = p.score.bind(p);
    if (p.scoreNodes) out.scoreNodes = p.scoreNodes.bind(p);
    if (p.normalizeScore) out.normalizeScore = p.normalizeScore.bind(p);
    if (p.preFilter) out.preFilter = (state, pod) => toStatus(p.preFilter!.call(p, state, pod));
    if (p.filter) out.filter = (state, pod, node) => toStatus(p.filter!.call(p, state, pod, node));
    if (p.preScore) out.preScore = (state, pod, nodes) => toStatus(p.preScore!.call(p, state, pod, nodes));
    return out;
  };
}

/** The factories a module exports, by plugin name. */
export async function loadPluginModule(file: string): Promise<Record<string, PluginFactory>> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const found = err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes(resolve(file)) ? 'no such file' : `an error: ${err.message}`;
    throw new ScenarioError(file, '', 'a JavaScript module (ESM) exporting scheduler plugin factories', found);
  }
  const exported: Record<string, unknown> =
    mod.default !== undefined && typeof mod.default === 'object' && mod.default !== null ? (mod.default as Record<string, unknown>) : mod;
  const out: Record<string, PluginFactory> = {};
  for (const [name, factory] of Object.entries(exported)) {
    if (name === 'default') continue;
    out[name] = checkFactory(file, name, factory);
  }
  if (Object.keys(out).length === 0) throw new ScenarioError(file, '', 'at least one exported plugin factory', 'none');
  return out;
}

/** The in-tree registry plus the plugins of every file, in order; a name registered twice is an error. */
export async function registryWithPluginFiles(files: readonly string[], base: Registry = IN_TREE_REGISTRY): Promise<Registry> {
  let registry = base;
  for (const file of files) {
    const plugins = await loadPluginModule(file);
    for (const name of Object.keys(plugins)) {
      if (registry.has(name)) throw new ScenarioError(file, name, 'a plugin name not registered yet', `"${name}", already registered`);
    }
    registry = withPlugins(registry, plugins);
  }
  return registry;
}
