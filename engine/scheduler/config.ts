/**
 * KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1), read as kube-scheduler reads it:
 * strict fields, defaults (one profile "default-scheduler" when none is given), validation of
 * percentageOfNodesToScore, weights (1-100), plugin names and plugin args, each error naming
 * the path inside the document (pkg/scheduler/apis/config/validation). The result builds one
 * Framework per profile, selected by a pod's spec.schedulerName.
 */
import { errors, ScenarioError } from '../scenario/errors.js';
import { any, arr, at, bool, enumOf, fail, int, isPlainObject, literal, num, obj, refine, str, type Ctx } from '../scenario/schema.js';
import { DEFAULT_SCHEDULER_NAME } from './default-plugins.js';
import { buildProfile, ProfileError, type BuiltProfile, type ProfileConfig } from './profile.js';
import { EXTENSION_POINTS, IN_TREE_REGISTRY, OTHER_EXTENSION_POINTS, type Registry } from './registry.js';

export const KSC_API_VERSION = 'kubescheduler.config.k8s.io/v1';

export interface SchedulerConfig {
  percentageOfNodesToScore?: number;
  /** Queue back-off (podInitialBackoffSeconds / podMaxBackoffSeconds, defaults 1 s and 10 s). */
  podInitialBackoffSeconds: number;
  podMaxBackoffSeconds: number;
  profiles: ProfileConfig[];
}

export const DEFAULT_SCHEDULER_CONFIG: SchedulerConfig = Object.freeze({
  podInitialBackoffSeconds: 1,
  podMaxBackoffSeconds: 10,
  profiles: [{ schedulerName: DEFAULT_SCHEDULER_NAME }],
}) as SchedulerConfig;

const weight = int({ min: 1, max: 100 });
const pluginRef = obj({ name: str({ minLength: 1 }), weight }, { required: ['name'] });
const pluginSet = obj({ enabled: arr(pluginRef).default([]), disabled: arr(obj({ name: str({ minLength: 1 }) }, { required: ['name'] })).default([]) });
const pluginsProps: Record<string, typeof pluginSet> = { multiPoint: pluginSet };
for (const p of [...EXTENSION_POINTS, ...OTHER_EXTENSION_POINTS]) pluginsProps[p] = pluginSet;

const resources = arr(obj({ name: str({ minLength: 1 }), weight: int({ min: 1, max: 100 }).default(1) }, { required: ['name'] }), { minItems: 1 });
const argsHeader = (kind: string) => ({ apiVersion: literal(KSC_API_VERSION), kind: literal(kind) });

const shape = refine(
  arr(obj({ utilization: int({ min: 0, max: 100 }), score: int({ min: 0, max: 10 }) }, { required: ['utilization', 'score'] }), { minItems: 1 }),
  (points, ctx) => {
    points.forEach((p, i) => {
      if (i > 0 && p.utilization <= points[i - 1]!.utilization) fail(at(at(ctx, i), 'utilization'), `a utilization > ${points[i - 1]!.utilization} (strictly increasing)`, p.utilization);
    });
    return points;
  },
);

const spreadConstraint = obj(
  {
    maxSkew: int({ min: 1 }),
    topologyKey: str({ minLength: 1 }),
    whenUnsatisfiable: enumOf(['DoNotSchedule', 'ScheduleAnyway']),
    minDomains: int({ min: 1 }),
    nodeAffinityPolicy: enumOf(['Honor', 'Ignore']),
    nodeTaintsPolicy: enumOf(['Honor', 'Ignore']),
  },
  { required: ['maxSkew', 'topologyKey', 'whenUnsatisfiable'] },
);

/** Args schemas by plugin (pkg/scheduler/apis/config/validation/validation_pluginargs.go). */
const ARGS = {
  NodeResourcesFit: obj({
    ...argsHeader('NodeResourcesFitArgs'),
    ignoredResources: arr(str({ minLength: 1 })),
    ignoredResourceGroups: arr(str({ minLength: 1, pattern: /^[^/]+$/, patternName: 'a resource group name without "/"' })),
    scoringStrategy: refine(
      obj({
        type: enumOf(['LeastAllocated', 'MostAllocated', 'RequestedToCapacityRatio']).default('LeastAllocated'),
        resources,
        requestedToCapacityRatio: obj({ shape }, { required: ['shape'] }),
      }),
      (s, ctx) => {
        if (s.type === 'RequestedToCapacityRatio' && !s.requestedToCapacityRatio) throw errors.missingField(ctx.file, ctx.path, 'requestedToCapacityRatio');
        if (s.type !== 'RequestedToCapacityRatio' && s.requestedToCapacityRatio) {
          throw errors.invalidValue(ctx.file, at(ctx, 'requestedToCapacityRatio').path, 'no requestedToCapacityRatio unless type is RequestedToCapacityRatio', `type ${s.type}`);
        }
        return s;
      },
    ),
  }),
  NodeResourcesBalancedAllocation: obj({ ...argsHeader('NodeResourcesBalancedAllocationArgs'), resources }),
  PodTopologySpread: refine(
    obj({ ...argsHeader('PodTopologySpreadArgs'), defaultConstraints: arr(spreadConstraint), defaultingType: enumOf(['System', 'List']).default('System') }),
    (a, ctx) => {
      if (a.defaultingType === 'System' && a.defaultConstraints?.length) {
        throw errors.invalidValue(ctx.file, at(ctx, 'defaultConstraints').path, 'no defaultConstraints when defaultingType is System', `${a.defaultConstraints.length} constraints`);
      }
      return a;
    },
  ),
  InterPodAffinity: obj({ ...argsHeader('InterPodAffinityArgs'), hardPodAffinityWeight: int({ min: 0, max: 100 }), ignorePreferredTermsOfExistingPods: bool() }),
  NodeAffinity: obj({ ...argsHeader('NodeAffinityArgs'), addedAffinity: any() }),
  DefaultPreemption: obj({ ...argsHeader('DefaultPreemptionArgs'), minCandidateNodesPercentage: int({ min: 0, max: 100 }), minCandidateNodesAbsolute: int({ min: 0 }) }),
} as const;

const profile = obj(
  {
    schedulerName: str({ minLength: 1 }).default(DEFAULT_SCHEDULER_NAME),
    percentageOfNodesToScore: int({ min: 0, max: 100 }),
    plugins: obj(pluginsProps),
    pluginConfig: arr(obj({ name: str({ minLength: 1 }), args: any() }, { required: ['name'] })),
  },
  {},
);

const document = obj(
  {
    apiVersion: literal(KSC_API_VERSION),
    kind: literal('KubeSchedulerConfiguration'),
    percentageOfNodesToScore: int({ min: 0, max: 100 }),
    podInitialBackoffSeconds: num({ exclusiveMin: 0 }).default(1),
    podMaxBackoffSeconds: num({ exclusiveMin: 0 }).default(10),
    profiles: arr(profile),
    parallelism: int({ min: 1 }),
    leaderElection: any(),
    clientConnection: any(),
    healthzBindAddress: any(),
    metricsBindAddress: any(),
    enableProfiling: bool(),
    enableContentionProfiling: bool(),
    delayCacheUntilActive: bool(),
    extenders: arr(any(), { maxItems: 0 }).describe('Extenders are not modelled.'),
  },
  { required: ['apiVersion', 'kind'] },
);

/** The JSON Schema of an inline configuration, for the scenario schema. */
export function schedulerConfigJsonSchema(): Record<string, unknown> {
  return document.json();
}

/**
 * Parses and validates a configuration document found at `ctx` (a file's root, or a path inside
 * a scenario), building every profile once so that plugin errors surface here.
 */
export function parseSchedulerConfig(value: unknown, ctx: Ctx, registry: Registry = IN_TREE_REGISTRY): SchedulerConfig {
  if (!isPlainObject(value)) fail(ctx, 'a KubeSchedulerConfiguration mapping', value);
  const doc = document.parse(value, ctx);
  if (doc.podMaxBackoffSeconds < doc.podInitialBackoffSeconds) {
    throw errors.outOfRange(ctx.file, at(ctx, 'podMaxBackoffSeconds').path, `a number >= podInitialBackoffSeconds (${doc.podInitialBackoffSeconds})`, doc.podMaxBackoffSeconds);
  }
  const profilesAt = at(ctx, 'profiles');
  const profiles: ProfileConfig[] = (doc.profiles?.length ? doc.profiles : [{ schedulerName: DEFAULT_SCHEDULER_NAME }]).map((p, i) => {
    const pAt = at(profilesAt, i);
    const pluginConfig = (('pluginConfig' in p ? p.pluginConfig : undefined) ?? []).map((pc, j) => {
      const cAt = at(at(pAt, 'pluginConfig'), j);
      if (!registry.has(pc.name)) throw errors.unknownReference(ctx.file, at(cAt, 'name').path, 'registered plugin', pc.name, [...registry.keys()]);
      const schema = (ARGS as Record<string, { parse(v: unknown, c: Ctx): unknown }>)[pc.name];
      const args = pc.args === undefined ? undefined : schema ? schema.parse(pc.args, at(cAt, 'args')) : pc.args;
      return { name: pc.name, args: args as Record<string, unknown> | undefined };
    });
    const names = pluginConfig.map((c) => c.name);
    const dup = names.find((n, k) => names.indexOf(n) !== k);
    if (dup) throw errors.duplicate(ctx.file, at(pAt, 'pluginConfig').path, 'plugin name in pluginConfig', dup);
    return { ...(p as ProfileConfig), pluginConfig };
  });
  const seen = new Set<string>();
  profiles.forEach((p, i) => {
    const pAt = at(profilesAt, i);
    if (seen.has(p.schedulerName)) throw errors.duplicate(ctx.file, at(pAt, 'schedulerName').path, 'schedulerName', p.schedulerName);
    seen.add(p.schedulerName);
    buildProfiles({ profiles: [p] } as SchedulerConfig, registry, ctx.file, pAt.path);
  });
  return {
    percentageOfNodesToScore: doc.percentageOfNodesToScore,
    podInitialBackoffSeconds: doc.podInitialBackoffSeconds,
    podMaxBackoffSeconds: doc.podMaxBackoffSeconds,
    profiles,
  };
}

/** Builds the profiles; framework-level refusals become errors at their path. */
export function buildProfiles(config: SchedulerConfig, registry: Registry = IN_TREE_REGISTRY, file?: string, base = ''): BuiltProfile[] {
  return config.profiles.map((p, i) => {
    try {
      return buildProfile(p, registry, base ? `${base}.plugins` : `profiles[${i}].plugins`);
    } catch (e) {
      if (e instanceof ProfileError) throw new ScenarioError(file, e.path, e.expected, e.found);
      throw e;
    }
  });
}
