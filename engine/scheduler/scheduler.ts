/**
 * kube-scheduler as a component of a run: watches Nodes and Pods through the API server, keeps
 * its cache (the Snapshot), queues pending pods (queue.ts), and runs one scheduling cycle per
 * `DEFAULTS.scheduler.cycleLatency` (the modelled cost of a cycle plus the bind call) while pods
 * are active. A chosen node is assumed at once (the cache counts the pod there, so the next
 * cycle sees it), then bound with an API write. Pods that fit nowhere get a FailedScheduling
 * event with the upstream message, may preempt lower-priority pods (DefaultPreemption), and
 * wait in the unschedulable set until a cluster event that may help them, or the periodic
 * flush, moves them back. A pod that failed with no plugin to blame (no nodes, an error) is
 * retried after its back-off instead (handleSchedulingFailure, AddUnschedulableIfNotPresent).
 *
 * The event handlers turn watch notifications into cluster events as upstream's do
 * (pkg/scheduler/eventhandlers.go, Kubernetes 1.32 with SchedulerQueueingHints on): a Node
 * add or delete is one event (addNodeToCache, deleteNodeFromCache), an update one event per
 * kind of change it made (updateNodeInCache, node-change.ts), none if it changed nothing the
 * scheduler reads; a bound pod's arrival (including the confirmation of a pod this scheduler
 * bound), relabelling and deletion are AssignedPodAdd, PodLabelChange and AssignedPodDelete
 * (addPodToCache, updatePodInCache, deletePodFromCache, all through
 * MoveAllToActiveOrBackoffQueue); PersistentVolumeClaim, PersistentVolume and StorageClass
 * changes are their resource's Add, Update or Delete (addAllEventHandlers' buildEvtResHandler).
 * Each event moves only the unschedulable pods one of whose rejecting plugins registered it
 * and hints Queue (queueing-hints.ts).
 * Upstream: pkg/scheduler/scheduler.go, schedule_one.go, eventhandlers.go
 */
import type { ClusterContext } from '../api/context.js';
import { deletePod, setCondition } from '../api/pod-lifecycle.js';
import type { Labels, Node, Pod, StorageClass } from '../api/types.js';
import { EVENTS, type ClusterEvent } from './cluster-event.js';
import { buildProfiles, DEFAULT_SCHEDULER_CONFIG, type SchedulerConfig } from './config.js';
import { DEFAULT_SCHEDULER_NAME } from './default-plugins.js';
import { Framework } from './framework.js';
import { nodeSchedulingPropertiesChange, nodeSnapshot } from './node-change.js';
import { PodInfo } from './node-info.js';
import { SchedulingQueue } from './queue.js';
import { IN_TREE_REGISTRY, type Registry } from './registry.js';
import { Snapshot } from './snapshot.js';

/** Intervals of the queue's background flushes (scheduling_queue.go Run). */
const BACKOFF_FLUSH_INTERVAL = 1;
const UNSCHEDULABLE_FLUSH_INTERVAL = 30;

/** The Add, Update and Delete events of the storage kinds VolumeBinding reads. */
const STORAGE_EVENTS = {
  PersistentVolumeClaim: [EVENTS.PvcAdd, EVENTS.PvcUpdate, EVENTS.PvcDelete],
  PersistentVolume: [EVENTS.PvAdd, EVENTS.PvUpdate, EVENTS.PvDelete],
  StorageClass: [EVENTS.StorageClassAdd, EVENTS.StorageClassUpdate, EVENTS.StorageClassDelete],
} as const;

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
  /** Each Node as this scheduler last saw it, to tell what an update changed. */
  private readonly nodeStates = new Map<string, Node>();
  /** Each StorageClass as last seen (VolumeBinding's hint compares allowedTopologies). */
  private readonly storageClasses = new Map<string, StorageClass>();
  /** Pods this scheduler bound whose binding the watch has not shown yet (assumed pods). */
  private readonly assumed = new Set<string>();
  readonly stats: SchedulingStats = { attempts: 0, failures: 0, scheduled: 0, preemptions: 0, latencies: [] };

  constructor(
    private readonly ctx: ClusterContext,
    config: SchedulerConfig = DEFAULT_SCHEDULER_CONFIG,
    registry: Registry = IN_TREE_REGISTRY,
  ) {
    const rng = ctx.sim.stream('scheduler');
    this.frameworks = new Map(buildProfiles(config, registry).map((p) => [p.schedulerName, new Framework(p, rng, config.percentageOfNodesToScore)]));
    this.queue = new SchedulingQueue(config.podInitialBackoffSeconds, config.podMaxBackoffSeconds);
    ctx.api.watch('Node', (type, node) => this.onNode(type, node));
    ctx.api.watch('Pod', (type, pod) => this.onPod(type, pod));
    ctx.api.watch('Service', () => (this.snapshot.services = ctx.api.list('Service')));
    ctx.api.watch('ReplicaSet', () => (this.snapshot.replicaSets = ctx.api.list('ReplicaSet')));
    // Claims, volumes and classes are read where they are (the API server's state); their
    // changes are cluster events for the pods rejected for their volumes.
    this.snapshot.volumes = ctx.api;
    ctx.api.watch('PersistentVolumeClaim', (type, claim) => this.onStorage('PersistentVolumeClaim', type, undefined, claim));
    ctx.api.watch('PersistentVolume', (type, volume) => this.onStorage('PersistentVolume', type, undefined, volume));
    ctx.api.watch('StorageClass', (type, sc) => {
      const before = this.storageClasses.get(sc.metadata.name);
      if (type === 'DELETED') this.storageClasses.delete(sc.metadata.name);
      else this.storageClasses.set(sc.metadata.name, structuredClone(sc));
      this.onStorage('StorageClass', type, before, sc);
    });
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

  /**
   * MoveAllToActiveOrBackoffQueue(event, oldObj, newObj): nothing when no plugin of any profile
   * registered the event (isEventOfInterest), else each unschedulable pod its profile's
   * queueing hints find worth requeuing.
   */
  private moveOnEvent(event: ClusterEvent, oldObj: unknown, newObj: unknown): void {
    let interested = false;
    for (const fw of this.frameworks.values()) if ((interested = fw.queueingHints.interested(event))) break;
    if (!interested) return;
    const { snapshot } = this;
    const moved = this.queue.moveUnschedulable(this.ctx.sim.now, ({ plugins, pending, pod }) => {
      const fw = pod && this.frameworks.get(pod.pod.spec.schedulerName ?? DEFAULT_SCHEDULER_NAME);
      return fw ? fw.queueingHints.queueingStrategy(plugins, pending, pod, event, oldObj, newObj, snapshot) : 'afterBackoff';
    });
    this.moved(moved);
  }

  /** addNodeToCache / updateNodeInCache / deleteNodeFromCache. */
  private onNode(type: string, node: Node): void {
    const name = node.metadata.name;
    const before = this.nodeStates.get(name);
    if (type === 'DELETED') {
      this.snapshot.removeNode(name);
      this.nodeStates.delete(name);
      this.moveOnEvent(EVENTS.NodeDelete, before ?? nodeSnapshot(node), undefined);
      return;
    }
    this.snapshot.upsertNode(node);
    const after = nodeSnapshot(node);
    this.nodeStates.set(name, after);
    if (!before) this.moveOnEvent(EVENTS.NodeAdd, undefined, after);
    else for (const event of nodeSchedulingPropertiesChange(after, before)) this.moveOnEvent(event, before, after);
  }

  /** buildEvtResHandler: a claim, volume or class added, updated or deleted. */
  private onStorage(kind: keyof typeof STORAGE_EVENTS, type: string, before: unknown, object: unknown): void {
    const [add, update, remove] = STORAGE_EVENTS[kind];
    if (type === 'ADDED') this.moveOnEvent(add, undefined, object);
    else if (type === 'MODIFIED') this.moveOnEvent(update, before, object);
    else this.moveOnEvent(remove, object, undefined);
  }

  private onPod(type: string, pod: Pod): void {
    const key = `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
    const now = this.ctx.sim.now;
    if (type === 'DELETED') {
      this.queue.delete(key);
      this.snapshot.clearNomination(key);
      this.assumed.delete(key);
      // deletePodFromCache: AssignedPodDelete, with the pod as the cache had it.
      const removed = this.snapshot.removePod(key);
      if (removed) this.moveOnEvent(EVENTS.AssignedPodDelete, removed, undefined);
      return;
    }
    if (pod.spec.nodeName) {
      const known = this.snapshot.pod(key);
      if (known?.nodeName === pod.spec.nodeName) {
        // addPodToCache for a pod this scheduler assumed: the informer now shows it bound.
        if (this.assumed.delete(key)) this.moveOnEvent(EVENTS.AssignedPodAdd, undefined, known);
        if (pod.metadata.deletionTimestamp !== undefined) this.snapshot.markTerminating(key);
        else if (known.labels !== pod.metadata.labels && !sameLabels(known.labels, pod.metadata.labels)) {
          // updatePodInCache: relabelled (`kubectl label pod`), the pod is counted under its new
          // labels, and the update is a PodLabelChange event (PodSchedulingPropertiesChange).
          const relabelled = new PodInfo(pod);
          this.snapshot.addPod(relabelled, pod.spec.nodeName, known.startTime);
          this.moveOnEvent(EVENTS.PodLabelChange, known, relabelled);
        }
        return;
      }
      this.queue.delete(key);
      this.snapshot.clearNomination(key);
      this.assumed.delete(key);
      const added = new PodInfo(pod);
      this.snapshot.addPod(added, pod.spec.nodeName, now);
      this.moveOnEvent(EVENTS.AssignedPodAdd, undefined, added);
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
      // handleSchedulingFailure: the FitError's plugins go with the pod (none for no nodes or
      // an error, which sends it to backoffQ).
      this.queue.addUnschedulable(key, info.priority, now, result.unschedulablePlugins, result.pendingPlugins, info);
      if (result.error !== undefined || result.statuses.size === 0) {
        // An error status (reason SchedulerError) or no nodes at all: no PostFilter, the
        // error's message, and the pod's nomination cleared (clearNominatedNode).
        this.clearNomination(pod, key);
        ctx.event('Warning', 'FailedScheduling', pod, result.message ?? 'no nodes available to schedule pods');
        return;
      }
      const post = fw.runPostFilter(result, info);
      // FitError.Error() appends the PostFilter's message (schedule_one.go, framework/types.go):
      // "0/4 nodes are available: 3 Insufficient cpu. preemption: 0/4 nodes are available: ...".
      const fit = result.message!;
      const postMsg = post && post.status.code !== 'Success' ? post.status.message : '';
      ctx.event('Warning', 'FailedScheduling', pod, postMsg ? `${fit} ${postMsg}` : fit);
      if (post?.nominatedNodeName) this.preempt(pod, info, post.nominatedNodeName, post.victims ?? []);
      else if (post?.nominatedNodeName === '') this.clearNomination(pod, key);
      return;
    }
    const nodeName = result.node.name;
    this.queue.done(key);
    snapshot.clearNomination(key);
    snapshot.addPod(info, nodeName, now);
    this.assumed.add(key);
    this.stats.scheduled++;
    this.stats.latencies.push(now - (pod.metadata.creationTimestamp ?? now));
    ctx.api.update('Pod', pod.metadata.namespace, pod.metadata.name, (p) => {
      if (p.spec.nodeName) return false;
      p.spec.nodeName = nodeName;
      setCondition(p, 'PodScheduled', 'True', now);
    });
    ctx.event('Normal', 'Scheduled', pod, `Successfully assigned ${key} to ${nodeName}`);
  }

  /**
   * A failure whose NominatingInfo clears the pod's nomination (no preemption candidate, no
   * nodes, an error): the nominator forgets it and the pod's status.nominatedNodeName is
   * emptied if set (handleSchedulingFailure: AddNominatedPod and updatePod with ModeOverride "").
   */
  private clearNomination(pod: Pod, key: string): void {
    this.snapshot.clearNomination(key);
    if (!(pod.status as { nominatedNodeName?: string } | undefined)?.nominatedNodeName) return;
    this.ctx.api.update('Pod', pod.metadata.namespace, pod.metadata.name, (p) => {
      const status = p.status as { nominatedNodeName?: string } | undefined;
      if (!status?.nominatedNodeName) return false;
      delete status.nominatedNodeName;
    });
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
