/**
 * kube-scheduler as a component of a run: watches Nodes and Pods through the API server, keeps
 * its cache (the Snapshot), queues pending pods (queue.ts), and runs one scheduling cycle per
 * `DEFAULTS.scheduler.cycleLatency` (the modelled cost of a cycle plus the bind call) while pods
 * are active. A chosen node is assumed at once (the cache counts the pod there, so the next
 * cycle sees it), then bound with an API write. Pods that fit nowhere get a FailedScheduling
 * event with the upstream message, may preempt lower-priority pods (DefaultPreemption), and
 * wait in the unschedulable set until a cluster event or the periodic flush moves them back.
 * Upstream: pkg/scheduler/scheduler.go, schedule_one.go, eventhandlers.go
 */
import type { ClusterContext } from '../api/context.js';
import { deletePod, setCondition } from '../api/pod-lifecycle.js';
import type { Labels, Pod } from '../api/types.js';
import { buildProfiles, DEFAULT_SCHEDULER_CONFIG, type SchedulerConfig } from './config.js';
import { DEFAULT_SCHEDULER_NAME } from './default-plugins.js';
import { Framework } from './framework.js';
import { PodInfo } from './node-info.js';
import { SchedulingQueue } from './queue.js';
import { IN_TREE_REGISTRY, type Registry } from './registry.js';
import { Snapshot } from './snapshot.js';

/** Intervals of the queue's background flushes (scheduling_queue.go Run). */
const BACKOFF_FLUSH_INTERVAL = 1;
const UNSCHEDULABLE_FLUSH_INTERVAL = 30;
/** Plugins whose failures an assigned pod's arrival can cure (their EventsToRegister). */
const ON_ASSIGNED_POD_ADD: ReadonlySet<string> = new Set(['InterPodAffinity', 'PodTopologySpread']);

export interface SchedulingStats {
  attempts: number;
  failures: number;
  scheduled: number;
  preemptions: number;
  /** Creation-to-bind latencies (seconds) of pods bound since the last drain. */
  latencies: number[];
}

export class Scheduler {
  readonly snapshot = new Snapshot();
  private readonly queue: SchedulingQueue;
  private readonly frameworks: Map<string, Framework>;
  private cycleArmed = false;
  private running = true;
  readonly stats: SchedulingStats = { attempts: 0, failures: 0, scheduled: 0, preemptions: 0, latencies: [] };

  constructor(
    private readonly ctx: ClusterContext,
    config: SchedulerConfig = DEFAULT_SCHEDULER_CONFIG,
    registry: Registry = IN_TREE_REGISTRY,
  ) {
    const rng = ctx.sim.stream('scheduler');
    this.frameworks = new Map(buildProfiles(config, registry).map((p) => [p.schedulerName, new Framework(p, rng, config.percentageOfNodesToScore)]));
    this.queue = new SchedulingQueue(config.podInitialBackoffSeconds, config.podMaxBackoffSeconds);
    ctx.api.watch('Node', (type, node) => {
      if (type === 'DELETED') this.snapshot.removeNode(node.metadata.name);
      else this.snapshot.upsertNode(node);
      this.moved(this.queue.moveUnschedulable(ctx.sim.now));
    });
    ctx.api.watch('Pod', (type, pod) => this.onPod(type, pod));
    ctx.api.watch('Service', () => (this.snapshot.services = ctx.api.list('Service')));
    ctx.api.watch('ReplicaSet', () => (this.snapshot.replicaSets = ctx.api.list('ReplicaSet')));
    // Claims, volumes and classes are read where they are (the API server's state), and a
    // change to any of them may make a pod rejected for its volumes schedulable.
    this.snapshot.volumes = ctx.api;
    for (const kind of ['PersistentVolumeClaim', 'PersistentVolume', 'StorageClass'] as const) {
      ctx.api.watch(kind, () => this.moved(this.queue.moveUnschedulable(ctx.sim.now)));
    }
    const flushBackoff = () => {
      this.moved(this.queue.flushBackoffCompleted(ctx.sim.now));
      ctx.sim.after(BACKOFF_FLUSH_INTERVAL, flushBackoff);
    };
    const flushUnschedulable = () => {
      this.moved(this.queue.flushUnschedulableLeftover(ctx.sim.now));
      ctx.sim.after(UNSCHEDULABLE_FLUSH_INTERVAL, flushUnschedulable);
    };
    ctx.sim.after(BACKOFF_FLUSH_INTERVAL, flushBackoff);
    ctx.sim.after(UNSCHEDULABLE_FLUSH_INTERVAL, flushUnschedulable);
  }

  /** Pods waiting to be scheduled (active, backing off, unschedulable). */
  get pendingCount(): number {
    return this.queue.size;
  }

  private moved(n: number): void {
    if (n > 0) this.armCycle();
  }

  private onPod(type: string, pod: Pod): void {
    const key = `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
    const now = this.ctx.sim.now;
    if (type === 'DELETED') {
      this.queue.delete(key);
      this.snapshot.clearNomination(key);
      if (this.snapshot.removePod(key)) this.moved(this.queue.moveUnschedulable(now));
      return;
    }
    if (pod.spec.nodeName) {
      const known = this.snapshot.pod(key);
      if (known?.nodeName === pod.spec.nodeName) {
        if (pod.metadata.deletionTimestamp !== undefined) this.snapshot.markTerminating(key);
        else if (known.labels !== pod.metadata.labels && !sameLabels(known.labels, pod.metadata.labels)) {
          // updatePodInCache: relabelled (`kubectl label pod`), the pod is counted under its new
          // labels; AssignedPodUpdate (UpdatePodLabel) may help pods waiting on spreading or affinity.
          this.snapshot.addPod(new PodInfo(pod), pod.spec.nodeName, known.startTime);
          this.moved(this.queue.moveUnschedulable(now, ON_ASSIGNED_POD_ADD));
        }
        return;
      }
      this.queue.delete(key);
      this.snapshot.clearNomination(key);
      this.snapshot.addPod(new PodInfo(pod), pod.spec.nodeName, now);
      this.moved(this.queue.moveUnschedulable(now, ON_ASSIGNED_POD_ADD));
      return;
    }
    if (!this.frameworks.has(pod.spec.schedulerName ?? DEFAULT_SCHEDULER_NAME)) return;
    if (pod.metadata.deletionTimestamp !== undefined || this.queue.has(key) || this.snapshot.pod(key)) return;
    // SchedulingGates (PreEnqueue): a gated pod is not queued until its gates are removed.
    if (((pod.spec as { schedulingGates?: unknown[] }).schedulingGates ?? []).length > 0) return;
    this.queue.add(key, pod.spec.priority ?? 0, now);
    this.armCycle();
  }

  /** Stops scheduling (a fault action): pods keep queueing and stay Pending until `start`. */
  stop(): void {
    this.running = false;
  }

  start(): void {
    this.running = true;
    this.armCycle();
  }

  private armCycle(): void {
    if (this.cycleArmed || !this.running) return;
    this.cycleArmed = true;
    this.ctx.sim.after(this.ctx.defaults.scheduler.cycleLatency, () => this.cycle());
  }

  private cycle(): void {
    this.cycleArmed = false;
    if (!this.running) return;
    for (let next = this.queue.pop(); next; next = this.queue.pop()) {
      const [namespace, name] = splitKey(next.key);
      const pod = this.ctx.api.get('Pod', namespace, name);
      if (!pod || pod.spec.nodeName || pod.metadata.deletionTimestamp !== undefined) continue;
      this.scheduleOne(next.key, pod);
      break;
    }
    if (this.queue.activeCount > 0) this.armCycle();
  }

  private scheduleOne(key: string, pod: Pod): void {
    const { ctx, snapshot } = this;
    const fw = this.frameworks.get(pod.spec.schedulerName ?? DEFAULT_SCHEDULER_NAME)!;
    const info = new PodInfo(pod);
    const now = ctx.sim.now;
    this.stats.attempts++;
    const result = fw.schedulePod(snapshot, info);
    if (!result.node) {
      this.stats.failures++;
      const plugins = new Set<string>();
      for (const s of result.statuses.values()) plugins.add(s.plugin);
      this.queue.addUnschedulable(key, info.priority, now, plugins);
      const post = result.statuses.size > 0 ? fw.runPostFilter(result, info) : undefined;
      // FitError.Error() appends the PostFilter's message (schedule_one.go, framework/types.go):
      // "0/4 nodes are available: 3 Insufficient cpu. preemption: 0/4 nodes are available: ...".
      const fit = result.message ?? 'no nodes available to schedule pods';
      const postMsg = post && post.status.code !== 'Success' ? post.status.message : '';
      ctx.event('Warning', 'FailedScheduling', pod, postMsg ? `${fit} ${postMsg}` : fit);
      if (post?.nominatedNodeName) this.preempt(pod, info, post.nominatedNodeName, post.victims ?? []);
      return;
    }
    const nodeName = result.node.name;
    this.queue.done(key);
    snapshot.clearNomination(key);
    snapshot.addPod(info, nodeName, now);
    this.stats.scheduled++;
    this.stats.latencies.push(now - (pod.metadata.creationTimestamp ?? now));
    ctx.api.update('Pod', pod.metadata.namespace, pod.metadata.name, (p) => {
      if (p.spec.nodeName) return false;
      p.spec.nodeName = nodeName;
      setCondition(p, 'PodScheduled', 'True', now);
    });
    ctx.event('Normal', 'Scheduled', pod, `Successfully assigned ${key} to ${nodeName}`);
  }

  /** prepareCandidate: evict the victims and nominate the node for the preemptor. */
  private preempt(pod: Pod, info: PodInfo, nodeName: string, victims: PodInfo[]): void {
    const { ctx } = this;
    this.stats.preemptions++;
    this.snapshot.nominate(info, nodeName);
    for (const v of victims) {
      ctx.event('Normal', 'Preempted', v.pod, `Preempted by pod ${pod.metadata.uid ?? info.key} on node ${nodeName}`);
      deletePod(ctx, v.pod);
    }
    ctx.api.update('Pod', pod.metadata.namespace, pod.metadata.name, (p) => {
      (p.status ??= { phase: 'Pending' }) as { nominatedNodeName?: string };
      (p.status as { nominatedNodeName?: string }).nominatedNodeName = nodeName;
    });
  }
}

function sameLabels(a: Labels, b: Labels | undefined): boolean {
  const x = b ?? {};
  const keys = Object.keys(a);
  return keys.length === Object.keys(x).length && keys.every((k) => Object.hasOwn(x, k) && x[k] === a[k]);
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}
