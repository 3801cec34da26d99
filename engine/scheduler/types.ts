/**
 * The scheduling framework's vocabulary (k8s.io/kube-scheduler/framework interface.go and
 * pkg/scheduler/framework/types.go): status codes, the plugin shape, per-cycle state.
 *
 * Every plugin has the same small shape: a name and any of the extension points below. A
 * plugin's per-cycle data lives in the CycleState it is handed, never in the plugin, so one
 * plugin instance serves every cycle of its profile.
 */
import type { ClusterEventWithHint } from './cluster-event.js';
import type { NodeInfo, PodInfo } from './node-info.js';
import type { Snapshot } from './snapshot.js';

/** framework.MaxNodeScore / MinNodeScore. */
export const MAX_NODE_SCORE = 100;
export const MIN_NODE_SCORE = 0;

/** framework.Code, named as upstream prints them. */
export type Code = 'Success' | 'Error' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Wait' | 'Skip' | 'Pending';

export class Status {
  /** The plugin that returned it (set by the framework). */
  plugin = '';
  constructor(
    readonly code: Code,
    readonly reasons: readonly string[] = [],
  ) {}
  get message(): string {
    return this.reasons.join(', ');
  }
  /** Status.IsRejected: Unschedulable, UnschedulableAndUnresolvable or Pending. */
  isRejection(): boolean {
    return this.code === 'Unschedulable' || this.code === 'UnschedulableAndUnresolvable' || this.code === 'Pending';
  }
}

/**
 * What Go prints for `fmt.Errorf("...: %w", s.AsError())`: the status's message, or
 * `%!w(<nil>)` for the codes AsError maps to nil (Success, Wait, Skip), as upstream's wrapped
 * errors read when a plugin returns one of those where they are not allowed.
 */
export function asErrorText(s: Status): string {
  return s.code === 'Success' || s.code === 'Wait' || s.code === 'Skip' ? '%!w(<nil>)' : s.message;
}

/** framework.AsStatus(err): an Error status carrying `message`, attributed to `plugin`. */
export function errorStatus(message: string, plugin = ''): Status {
  const s = new Status('Error', [message]);
  s.plugin = plugin;
  return s;
}

/** A null status means Success everywhere, as a nil *Status does upstream; it allocates nothing. */
export type MaybeStatus = Status | null;

export const SKIP: Status = Object.freeze(new Status('Skip')) as Status;
export const unschedulable = (...reasons: string[]): Status => new Status('Unschedulable', reasons);
export const unresolvable = (...reasons: string[]): Status => new Status('UnschedulableAndUnresolvable', reasons);

/** State of one scheduling cycle, passed explicitly to every extension point (framework.CycleState). */
export class CycleState {
  private readonly data = new Map<string, unknown>();
  /** Plugins whose PreFilter returned Skip: their Filter does not run this cycle. */
  readonly skipFilter = new Set<string>();
  /** Plugins whose PreScore returned Skip: their Score does not run this cycle. */
  readonly skipScore = new Set<string>();
  /**
   * PreFilterResult.NodeNames (framework/interface.go): a PreFilter plugin that knows the pod
   * can only fit some nodes sets this while it runs (kubesim's way to return the result
   * alongside the status). The framework collects it after each plugin and clears it.
   */
  preFilterNodeNames: ReadonlySet<string> | undefined = undefined;
  /**
   * After PreFilter: the intersection of every plugin's NodeNames (PreFilterResult.Merge),
   * undefined for all nodes; and the plugins that returned one, sorted (the set
   * RunPreFilterPlugins returns as Diagnosis.UnschedulablePlugins).
   */
  candidateNodeNames: ReadonlySet<string> | undefined = undefined;
  pluginsWithNodes: readonly string[] = [];
  constructor(readonly snapshot: Snapshot) {}
  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }
  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
}

/** What PostFilter (preemption) decided. */
export interface PostFilterResult {
  status: Status;
  /**
   * NominatingInfo: undefined leaves the pod's nomination as it is (ModeNoop); a node name
   * nominates the pod there, and '' clears its nomination (ModeOverride).
   */
  nominatedNodeName?: string;
  victims?: PodInfo[];
}

export interface Plugin {
  readonly name: string;
  preFilter?(state: CycleState, pod: PodInfo): MaybeStatus;
  filter?(state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus;
  postFilter?(state: CycleState, pod: PodInfo, statuses: ReadonlyMap<string, Status>, handle: FrameworkHandle): PostFilterResult;
  preScore?(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): MaybeStatus;
  score?(state: CycleState, pod: PodInfo, node: NodeInfo): number;
  /**
   * Score on many nodes in one call (optional; kubesim's fast path, since a call per node per
   * plugin dominates a 5,000-node cycle): sets `scores[i]` to exactly what
   * `score(state, pod, nodes[i])` returns. In-tree plugins build both from one per-node
   * function; the framework prefers this one when present.
   */
  scoreNodes?(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], scores: number[]): void;
  /** Rewrites `scores` (one per node of `nodes`, same order) in place. */
  normalizeScore?(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], scores: number[]): void;
  /**
   * EnqueueExtensions.EventsToRegister: the cluster events that may make a pod this plugin
   * rejected schedulable, each with an optional queueing hint (cluster-event.ts). A plugin
   * without it is retried on every event, as upstream treats plugins that do not implement
   * EnqueueExtensions (queueing-hints.ts).
   */
  eventsToRegister?(): readonly ClusterEventWithHint[];
}

/** What a PostFilter plugin may ask of its framework (framework.Handle). */
export interface FrameworkHandle {
  /** Runs every PreFilter then every Filter plugin for `pod` on `node`, in a fresh cycle state. */
  podFitsOn(pod: PodInfo, node: NodeInfo): boolean;
  /** The same, with the status that rejected the pod (null when it fits). */
  filterStatus(pod: PodInfo, node: NodeInfo): Status | null;
  /** A uniform integer in [0, n) from the scheduler's random stream. */
  randomInt(n: number): number;
}

/** Builds a plugin from its (validated) args; `args` is undefined when the profile gives none. */
export type PluginFactory = (args: Record<string, unknown> | undefined) => Plugin;
