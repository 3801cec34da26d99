/**
 * Scenario loading, end to end: read the file, parse its one YAML document, apply command-line
 * overrides, validate and normalize with the schema, read manifest files, expand the cluster,
 * and check the rules that span the document. Any problem is a ScenarioError naming the file
 * and the path; the result is a `Scenario` the engine runs without further checks.
 */
import { createHash } from 'node:crypto';
import { dirname, isAbsolute, join } from 'node:path';
import type { Scenario } from './types.js';
import { errors } from './errors.js';
import { expandCluster } from './cluster.js';
import { checkClusterIPs, checkManifests, checkUnique, type PlacedObject } from './manifests.js';
import { kubernetesService } from '../api/kubernetes-service.js';
import { ServiceIPRange } from '../api/service-ip-range.js';
import type { TimelineCommand } from '../timeline/command.js';
import { manifestSchema } from './manifest-schema.js';
import { applyOverride, setOverride } from './overrides.js';
import { resolveLoads, resolveTimeline, timelineObjects } from './references.js';
import { readRateTraces } from './rate-trace.js';
import { MAX_DURATION, scenarioSchema } from './scenario-schema.js';
import { at, type Ctx } from './schema.js';
import { parseYamlDocuments, readFileBytes } from './yaml-source.js';
import { parseDuration } from '../core/duration.js';

export interface LoadOptions {
  /** `PATH=VALUE` assignments from --set, applied in order before validation. */
  overrides?: readonly string[];
  /** --seed: replaces spec.seed. */
  seed?: number;
  /** --duration: how long this run lasts (a duration string such as 1h); see shortenOrExtend. */
  duration?: string;
}

export interface LoadedScenario {
  scenario: Scenario;
  /** SHA-256 (hex) of the scenario file's bytes, recorded with the outputs. */
  sha256: string;
  /** Every file read: the scenario first, then manifest files in order. */
  files: string[];
}

export function loadScenarioFile(path: string, options: LoadOptions = {}): LoadedScenario {
  const bytes = readFileBytes(path, path);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw errors.unreadable(path, 'bytes that are not UTF-8 text');
  }
  return load(text, path, bytes, options);
}

/** Loads a scenario given as text; `file` names it in errors and anchors relative manifest paths. */
export function loadScenarioText(text: string, file: string, options: LoadOptions = {}): LoadedScenario {
  return load(text, file, Buffer.from(text, 'utf8'), options);
}

function load(text: string, file: string, bytes: Uint8Array, options: LoadOptions): LoadedScenario {
  const docs = parseYamlDocuments(text, file);
  if (docs.length !== 1) throw errors.documentCount(file, 'exactly one YAML document (a kubesim Scenario)', docs.length);
  const doc = docs[0];
  applyOptions(doc, options);

  const root: Ctx = { file, path: '' };
  const input = scenarioSchema.parse(doc, root);
  const spec = input.spec;
  const specAt = at(root, 'spec');
  if (spec.sampleInterval > spec.duration) {
    throw errors.outOfRange(file, at(specAt, 'sampleInterval').path, `a sample interval of at most the duration (${spec.duration} s)`, spec.sampleInterval);
  }

  const files = [file];
  const placed = placeManifests(spec.manifests, at(specAt, 'manifests'), files);
  const cluster = expandCluster(spec.cluster, at(specAt, 'cluster'));
  const manifests = checkManifests(placed, cluster.serviceCIDR);
  readRateTraces(spec.load, at(specAt, 'load'), files);
  readApplyFiles(spec.timeline, at(specAt, 'timeline'), files, cluster.serviceCIDR);
  // Timeline commands may name the Service the API server creates itself (kubectl get, patch, delete svc kubernetes).
  const builtIn = [kubernetesService(new ServiceIPRange(cluster.serviceCIDR).at(0))];
  const timeline = resolveTimeline(spec.timeline, at(specAt, 'timeline'), [...builtIn, ...manifests], cluster.nodes, spec.duration);
  const scenario: Scenario = {
    name: input.metadata.name,
    description: input.metadata.description,
    seed: spec.seed,
    duration: spec.duration,
    sampleInterval: spec.sampleInterval,
    cluster,
    manifests,
    // Loads may target a Service the timeline creates (kubectl expose, apply -f): until it exists, requests find no endpoints.
    load: resolveLoads(spec.load, at(specAt, 'load'), [...manifests, ...timelineObjects(timeline)], cluster.nodes, spec.duration),
    timeline,
    scheduler: spec.scheduler,
    ...(spec.controllerManager && { controllerManager: spec.controllerManager }),
    ...(spec.metricsServer && { metricsServer: spec.metricsServer }),
    ...(spec.metrics && { metrics: spec.metrics }),
    ...(spec.kubeProxy && { kubeProxy: spec.kubeProxy }),
  };
  if (options.duration !== undefined) shortenOrExtend(scenario, options.duration, spec.load);
  return { scenario, sha256: createHash('sha256').update(bytes).digest('hex'), files };
}

/**
 * `--duration` changes how long this run lasts, not what the scenario says: the scenario is
 * validated against its own duration, then timeline actions past the new end are left out,
 * loads without an explicit `stop` run to the new end, explicit stops are cut at it.
 * (`--set spec.duration=...` edits the scenario instead, and is validated like the file.)
 */
function shortenOrExtend(scenario: Scenario, durationText: string, loads: readonly { stop?: number }[]): void {
  const argument = `--duration ${durationText}`;
  let duration: number;
  try {
    duration = parseDuration(durationText);
  } catch {
    throw errors.badOverride(argument, 'a positive duration such as 90s, 10m or 1h30m', durationText);
  }
  if (!(duration > 0) || duration > MAX_DURATION) {
    throw errors.badOverride(argument, `a positive duration of at most ${MAX_DURATION} s`, durationText);
  }
  if (scenario.sampleInterval > duration) {
    throw errors.badOverride(argument, `a duration of at least the sample interval (${scenario.sampleInterval} s)`, durationText);
  }
  scenario.duration = duration;
  scenario.timeline = scenario.timeline.filter((entry) => entry.at <= duration);
  scenario.load = scenario.load.map((load, i) => ({ ...load, stop: Math.min(loads[i]!.stop ?? duration, duration) }));
}

function applyOptions(doc: unknown, options: LoadOptions): void {
  for (const assignment of options.overrides ?? []) applyOverride(doc, assignment, '--set');
  if (options.seed !== undefined) setOverride(doc, ['spec', 'seed'], options.seed, `--seed ${options.seed}`);
}

/**
 * Inline objects were validated with the scenario; `{file}` entries are read here (relative to
 * the scenario's directory), each document validated at `documents[j]` of its own file.
 */
function placeManifests(entries: readonly unknown[], ctx: Ctx, files: string[]): PlacedObject[] {
  const placed: PlacedObject[] = [];
  entries.forEach((entry, i) => {
    const entryAt = at(ctx, i);
    if (!isFileEntry(entry)) {
      placed.push({ object: entry as PlacedObject['object'], at: entryAt });
      return;
    }
    placed.push(...readManifestFile(entry.file, ctx.file, files));
  });
  return placed;
}

/** One manifest file (relative to the scenario's directory), each document validated at `documents[j]` of its own file. */
function readManifestFile(file: string, anchor: string | undefined, files: string[]): PlacedObject[] {
  const placed: PlacedObject[] = [];
  const display = isAbsolute(file) ? file : join(dirname(anchor ?? '.'), file);
  const bytes = readFileBytes(display, display);
  if (!files.includes(display)) files.push(display);
  const docs = parseYamlDocuments(Buffer.from(bytes).toString('utf8'), display);
  docs.forEach((doc, j) => {
    // An empty document (a stray `---`) is nothing to apply, as for kubectl.
    if (doc === null || doc === undefined) return;
    const docAt: Ctx = { file: display, path: `documents[${j}]` };
    placed.push({ object: manifestSchema.parse(doc, docAt), at: docAt });
  });
  return placed;
}

/**
 * `kubectl apply -f FILE` in the timeline: the file is read and validated now, like a
 * `spec.manifests` file, and its objects travel with the command (duplicates within the file
 * are refused, as the manifests' are, and so are explicit cluster IPs outside the service CIDR
 * or repeated within the file).
 */
function readApplyFiles(timeline: readonly { command: TimelineCommand }[], ctx: Ctx, files: string[], serviceCIDR: string): void {
  timeline.forEach((entry, i) => {
    const { command } = entry;
    if (command.tool !== 'kubectl' || command.command.verb !== 'apply') return;
    const placed = readManifestFile(command.command.file, ctx.file, files);
    if (placed.length === 0) {
      const c = at(at(ctx, i), 'run');
      throw errors.invalidValue(c.file, c.path, 'a manifest file with at least one object', `no object in ${command.command.file}`);
    }
    checkUnique(placed);
    checkClusterIPs(placed, serviceCIDR);
    command.command.objects = placed.map((p) => p.object);
  });
}

function isFileEntry(entry: unknown): entry is { file: string } {
  return typeof entry === 'object' && entry !== null && 'file' in entry && !('kind' in entry);
}
