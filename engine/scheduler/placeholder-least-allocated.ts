/**
 * PLACEHOLDER SCHEDULER of the walking skeleton. The kube-scheduler issue replaces this file
 * with the scheduling framework and the upstream plugins; until then it makes the decisions a
 * default kube-scheduler makes in simple clusters:
 *
 *  - filter: spec.unschedulable (NodeUnschedulable), untolerated NoSchedule/NoExecute taints
 *    (TaintToleration), nodeSelector (NodeAffinity), requests vs allocatable for cpu, memory and
 *    pod count (NodeResourcesFit), with the upstream failure reasons;
 *  - score: LeastAllocated on cpu and memory, weight 1 each
 *    (pkg/scheduler/framework/plugins/noderesources/least_allocated.go:
 *    score = (allocatable - requested) * 100 / allocatable, integer division), with the
 *    non-zero defaults for containers without requests (100m CPU, 200 MiB,
 *    pkg/scheduler/util/pod_resources.go);
 *  - ties broken uniformly at random from the scheduler's own RNG stream;
 *  - one pod per cycle, FIFO; pods that fit nowhere wait and are retried when a pod is deleted
 *    or a node changes, and at least every 5 minutes (podMaxInUnschedulablePodsDuration).
 */
import type { ClusterContext } from '../api/context.js';
import { parseBytes, parseCpuMilli } from '../api/quantity.js';
import { podRequests, type PodRequests } from '../api/resources.js';
import { setCondition } from '../api/pod-lifecycle.js';
import { objectKey } from '../api/store.js';
import type { Node, Pod, Taint, Toleration } from '../api/types.js';
import type { Rng } from '../core/rng.js';

const DEFAULT_SCHEDULER = 'default-scheduler';
const NON_ZERO_CPU_MILLI = 100;
const NON_ZERO_MEMORY_BYTES = 200 * 1024 * 1024;
const UNSCHEDULABLE_FLUSH_SECONDS = 300;

interface NodeInfo {
  node: Node;
  cpuMilli: number;
  memoryBytes: number;
  pods: number;
  requested: PodRequests;
  nonZeroRequested: PodRequests;
  podCount: number;
}

export class PlaceholderScheduler {
  private readonly nodes = new Map<string, NodeInfo>();
  /** Pods bound (or assumed) to a node, and what they hold there. */
  private readonly assigned = new Map<string, { node: string; req: PodRequests; nonZero: PodRequests }>();
  private readonly activeQ: string[] = [];
  private readonly queued = new Set<string>();
  private readonly unschedulable = new Set<string>();
  private readonly rng: Rng;
  private cycleScheduled = false;
  running = true;

  constructor(private readonly ctx: ClusterContext) {
    this.rng = ctx.sim.stream('scheduler');
    ctx.api.watch('Node', (type, node) => this.onNode(type, node));
    ctx.api.watch('Pod', (type, pod) => this.onPod(type, pod));
    const flush = () => {
      this.moveAllToActive();
      ctx.sim.after(UNSCHEDULABLE_FLUSH_SECONDS, flush);
    };
    ctx.sim.after(UNSCHEDULABLE_FLUSH_SECONDS, flush);
  }

  /** Pods waiting to be scheduled (active and unschedulable). */
  get pendingCount(): number {
    return this.queued.size + this.unschedulable.size;
  }

  start(): void {
    this.running = true;
    this.armCycle();
  }

  private onNode(type: string, node: Node): void {
    if (type === 'DELETED') {
      this.nodes.delete(node.metadata.name);
    } else {
      const info = this.nodes.get(node.metadata.name);
      if (info) info.node = node;
      else {
        const alloc = node.status.allocatable;
        this.nodes.set(node.metadata.name, {
          node,
          cpuMilli: parseCpuMilli(alloc.cpu ?? 0),
          memoryBytes: parseBytes(alloc.memory ?? 0),
          pods: Number(alloc.pods ?? 110),
          requested: { cpuMilli: 0, memoryBytes: 0 },
          nonZeroRequested: { cpuMilli: 0, memoryBytes: 0 },
          podCount: 0,
        });
      }
    }
    this.moveAllToActive();
  }

  private onPod(type: string, pod: Pod): void {
    const key = objectKey(pod.metadata.namespace, pod.metadata.name);
    if (type === 'DELETED') {
      this.forget(key);
      this.queued.delete(key);
      this.unschedulable.delete(key);
      this.moveAllToActive();
      return;
    }
    if (pod.spec.nodeName) {
      if (!this.assigned.has(key)) this.assume(key, pod, pod.spec.nodeName);
      return;
    }
    if ((pod.spec.schedulerName ?? DEFAULT_SCHEDULER) !== DEFAULT_SCHEDULER) return;
    if (pod.metadata.deletionTimestamp !== undefined) return;
    if (!this.queued.has(key) && !this.unschedulable.has(key) && !this.assigned.has(key)) {
      this.queued.add(key);
      this.activeQ.push(key);
      this.armCycle();
    }
  }

  private assume(key: string, pod: Pod, nodeName: string): void {
    const info = this.nodes.get(nodeName);
    const req = podRequests(pod.spec);
    const nonZero = nonZeroRequests(pod);
    this.assigned.set(key, { node: nodeName, req, nonZero });
    if (!info) return;
    info.requested.cpuMilli += req.cpuMilli;
    info.requested.memoryBytes += req.memoryBytes;
    info.nonZeroRequested.cpuMilli += nonZero.cpuMilli;
    info.nonZeroRequested.memoryBytes += nonZero.memoryBytes;
    info.podCount++;
  }

  private forget(key: string): void {
    const a = this.assigned.get(key);
    if (!a) return;
    this.assigned.delete(key);
    const info = this.nodes.get(a.node);
    if (!info) return;
    info.requested.cpuMilli -= a.req.cpuMilli;
    info.requested.memoryBytes -= a.req.memoryBytes;
    info.nonZeroRequested.cpuMilli -= a.nonZero.cpuMilli;
    info.nonZeroRequested.memoryBytes -= a.nonZero.memoryBytes;
    info.podCount--;
  }

  private moveAllToActive(): void {
    if (this.unschedulable.size === 0) return;
    for (const key of this.unschedulable) {
      this.queued.add(key);
      this.activeQ.push(key);
    }
    this.unschedulable.clear();
    this.armCycle();
  }

  private armCycle(): void {
    if (this.cycleScheduled || !this.running || this.activeQ.length === 0) return;
    this.cycleScheduled = true;
    this.ctx.sim.after(this.ctx.defaults.scheduler.cycleLatency, () => this.cycle());
  }

  private cycle(): void {
    this.cycleScheduled = false;
    if (!this.running) return;
    while (this.activeQ.length > 0) {
      const key = this.activeQ.shift()!;
      if (!this.queued.delete(key)) continue;
      const [namespace, name] = key.split('/') as [string, string];
      const pod = this.ctx.api.get('Pod', namespace, name);
      if (!pod || pod.spec.nodeName || pod.metadata.deletionTimestamp !== undefined) continue;
      this.scheduleOne(key, pod);
      break;
    }
    this.armCycle();
  }

  private scheduleOne(key: string, pod: Pod): void {
    const req = podRequests(pod.spec);
    const nonZero = nonZeroRequests(pod);
    const reasons = new Map<string, number>();
    let best: NodeInfo[] = [];
    let bestScore = -1;
    for (const info of this.nodes.values()) {
      const reason = filter(info, pod, req);
      if (reason) {
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        continue;
      }
      const score = leastAllocatedScore(info, nonZero);
      if (score > bestScore) {
        bestScore = score;
        best = [info];
      } else if (score === bestScore) {
        best.push(info);
      }
    }
    if (best.length === 0) {
      this.unschedulable.add(key);
      // FitError.Error(): "<count> <reason>" strings, sorted as strings (pkg/scheduler/framework/types.go).
      const detail = [...reasons.entries()]
        .map(([reason, n]) => `${n} ${reason}`)
        .sort()
        .join(', ');
      this.ctx.event('Warning', 'FailedScheduling', pod, `0/${this.nodes.size} nodes are available: ${detail}.`);
      return;
    }
    const chosen = best.length === 1 ? best[0]! : best[this.rng.int(best.length)]!;
    const nodeName = chosen.node.metadata.name;
    this.assume(key, pod, nodeName);
    const now = this.ctx.sim.now;
    this.ctx.api.update('Pod', pod.metadata.namespace, pod.metadata.name, (p) => {
      if (p.spec.nodeName) return false;
      p.spec.nodeName = nodeName;
      setCondition(p, 'PodScheduled', 'True', now);
    });
    this.ctx.event('Normal', 'Scheduled', pod, `Successfully assigned ${key} to ${nodeName}`);
  }
}

function nonZeroRequests(pod: Pod): PodRequests {
  let cpuMilli = 0;
  let memoryBytes = 0;
  for (const c of pod.spec.containers) {
    const req = c.resources?.requests;
    cpuMilli += req?.cpu !== undefined ? parseCpuMilli(req.cpu) : NON_ZERO_CPU_MILLI;
    memoryBytes += req?.memory !== undefined ? parseBytes(req.memory) : NON_ZERO_MEMORY_BYTES;
  }
  return { cpuMilli, memoryBytes };
}

function tolerates(tolerations: Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return t.key === undefined || t.key === '' || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

/** The first failing filter's reason, in upstream wording, or undefined when the pod fits. */
function filter(info: NodeInfo, pod: Pod, req: PodRequests): string | undefined {
  const node = info.node;
  if (node.spec.unschedulable) return 'node(s) were unschedulable';
  for (const taint of node.spec.taints ?? []) {
    if (taint.effect === 'PreferNoSchedule') continue;
    if (!tolerates(pod.spec.tolerations, taint)) {
      return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
    }
  }
  for (const [k, v] of Object.entries(pod.spec.nodeSelector ?? {})) {
    if (node.metadata.labels?.[k] !== v) return "node(s) didn't match Pod's node affinity/selector";
  }
  if (info.podCount + 1 > info.pods) return 'Too many pods';
  if (req.cpuMilli > 0 && info.requested.cpuMilli + req.cpuMilli > info.cpuMilli) return 'Insufficient cpu';
  if (req.memoryBytes > 0 && info.requested.memoryBytes + req.memoryBytes > info.memoryBytes) return 'Insufficient memory';
  return undefined;
}

function leastAllocatedScore(info: NodeInfo, nonZero: PodRequests): number {
  const one = (requested: number, allocatable: number) =>
    allocatable === 0 || requested > allocatable ? 0 : Math.floor(((allocatable - requested) * 100) / allocatable);
  const cpu = one(info.nonZeroRequested.cpuMilli + nonZero.cpuMilli, info.cpuMilli);
  const mem = one(info.nonZeroRequested.memoryBytes + nonZero.memoryBytes, info.memoryBytes);
  return Math.floor((cpu + mem) / 2);
}
