/**
 * The scheduling queue (pkg/scheduler/backend/queue/scheduling_queue.go):
 *  - activeQ: pods ready to be tried, highest priority first, then the earliest timestamp (the
 *    PrioritySort plugin's Less over QueuedPodInfo.Timestamp: when the pod was added, refreshed
 *    only when a failed attempt brings it back, AddUnschedulableIfNotPresent; moving between
 *    the queues keeps it, so a retried pod keeps its place ahead of pods added after it failed);
 *  - backoffQ: pods that failed and wait out their back-off, podInitialBackoffSeconds doubled
 *    per failed attempt up to podMaxBackoffSeconds (1 s .. 10 s by default);
 *  - unschedulablePods: pods that some plugin rejected, waiting for a cluster event that may
 *    help them (the caller decides which, queueing-hints.ts); those left there longer than
 *    podMaxInUnschedulablePodsDuration (5 min) are flushed back.
 *
 * A pod that failed with no plugin to blame (no nodes at all, or an error status) goes straight
 * to backoffQ (AddUnschedulableIfNotPresent: determineSchedulingHintForInFlightPod answers
 * queueAfterBackoff when UnschedulablePlugins and PendingPlugins are both empty), so it is
 * retried after its back-off rather than at the next event or the 5-minute flush.
 */
import type { PodInfo } from './node-info.js';

export const POD_MAX_IN_UNSCHEDULABLE_PODS_DURATION = 300;

/**
 * queueingStrategy (scheduling_queue.go): leave the pod where it is (queueSkip), move it to
 * backoffQ or activeQ depending on its back-off (queueAfterBackoff), or to activeQ at once
 * (queueImmediately, when a plugin that answered Pending says an event may help).
 */
export type QueueingStrategy = 'skip' | 'afterBackoff' | 'immediately';

interface Entry {
  key: string;
  priority: number;
  /** QueuedPodInfo.Timestamp: added, or last came back from a failed attempt (queue sort, flush). */
  timestamp: number;
  /** Ties of equal priority and timestamp: the order they entered activeQ. */
  seq: number;
  attempts: number;
  backoffExpiry: number;
  /** The plugins that rejected it, and the pod as it was tried. */
  plugins: ReadonlySet<string>;
  pending: ReadonlySet<string>;
  pod: PodInfo | undefined;
}

const NONE: ReadonlySet<string> = new Set();

/** An unschedulable pod as a cluster event's test sees it. */
export interface UnschedulablePod {
  readonly key: string;
  /** The plugins that rejected it in its last attempt (QueuedPodInfo.UnschedulablePlugins). */
  readonly plugins: ReadonlySet<string>;
  /** Those of them that answered Pending (QueuedPodInfo.PendingPlugins). */
  readonly pending: ReadonlySet<string>;
  readonly pod: PodInfo | undefined;
}

/** A binary heap ordered by `less`. */
class Heap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => boolean) {}
  get size(): number {
    return this.items.length;
  }
  peek(): T | undefined {
    return this.items[0];
  }
  push(x: T): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

export class SchedulingQueue {
  private readonly entries = new Map<string, Entry>();
  private readonly where = new Map<string, 'active' | 'backoff' | 'unschedulable'>();
  private readonly active = new Heap<Entry>((a, b) => a.priority > b.priority || (a.priority === b.priority && (a.timestamp < b.timestamp || (a.timestamp === b.timestamp && a.seq < b.seq))));
  private readonly backoff = new Heap<Entry>((a, b) => a.backoffExpiry < b.backoffExpiry || (a.backoffExpiry === b.backoffExpiry && a.seq < b.seq));
  private readonly unschedulable = new Map<string, Entry>();
  private seq = 0;

  constructor(
    private readonly initialBackoff = 1,
    private readonly maxBackoff = 10,
  ) {}

  get size(): number {
    return this.where.size;
  }

  get activeCount(): number {
    let n = 0;
    for (const w of this.where.values()) if (w === 'active') n++;
    return n;
  }

  has(key: string): boolean {
    return this.where.has(key);
  }

  /** Which of the three a pod is in (PodsInActiveQ, PodsInBackoffQ, UnschedulablePods, for tests). */
  queueOf(key: string): 'active' | 'backoff' | 'unschedulable' | undefined {
    return this.where.get(key);
  }

  /** A new pending pod. */
  add(key: string, priority: number, now: number): void {
    if (this.where.has(key)) return;
    const e: Entry = { key, priority, timestamp: now, seq: this.seq++, attempts: 0, backoffExpiry: 0, plugins: NONE, pending: NONE, pod: undefined };
    this.entries.set(key, e);
    this.toActive(e);
  }

  /** The next pod to try, or undefined. Entries deleted meanwhile are dropped lazily. */
  pop(): { key: string; attempts: number } | undefined {
    for (;;) {
      const e = this.active.pop();
      if (!e) return undefined;
      if (this.where.get(e.key) !== 'active' || this.entries.get(e.key) !== e) continue;
      this.where.delete(e.key);
      return { key: e.key, attempts: e.attempts };
    }
  }

  /**
   * A pod that failed its cycle (AddUnschedulableIfNotPresent): rejected by some plugins
   * (`plugins`, of which `pending` answered Pending), it waits in unschedulablePods for an
   * event; rejected by none (no nodes, an error), it goes to backoffQ. Returns where it went.
   */
  addUnschedulable(key: string, priority: number, now: number, plugins: ReadonlySet<string>, pending: ReadonlySet<string> = NONE, pod?: PodInfo): 'backoff' | 'active' | 'unschedulable' {
    const e = this.entries.get(key) ?? { key, priority, timestamp: now, seq: this.seq++, attempts: 0, backoffExpiry: 0, plugins, pending, pod };
    e.priority = priority;
    e.attempts++;
    e.backoffExpiry = now + this.backoffDuration(e.attempts);
    // The pod comes back: its queue timestamp restarts (AddUnschedulableIfNotPresent).
    e.timestamp = now;
    e.plugins = plugins;
    e.pending = pending;
    e.pod = pod;
    this.entries.set(key, e);
    if (plugins.size === 0 && pending.size === 0) {
      // A temporary failure (kube-apiserver, no nodes yet): retried after the back-off, since no
      // event may be coming that a plugin would recognise.
      this.requeue(e, now, 'afterBackoff');
      return this.where.get(key) as 'backoff' | 'active';
    }
    this.unschedulable.set(key, e);
    this.where.set(key, 'unschedulable');
    return 'unschedulable';
  }

  /** calculateBackoffDuration: initial, doubled per further attempt, capped. */
  backoffDuration(attempts: number): number {
    let d = this.initialBackoff;
    for (let i = 1; i < attempts; i++) {
      if (d > this.maxBackoff - d) return this.maxBackoff;
      d += d;
    }
    return Math.min(d, this.maxBackoff);
  }

  delete(key: string): void {
    this.where.delete(key);
    this.entries.delete(key);
    this.unschedulable.delete(key);
  }

  /** Done with a pod (bound): forget its attempts. */
  done(key: string): void {
    this.delete(key);
  }

  /**
   * MoveAllToActiveOrBackoffQueue: each unschedulable pod goes where `strategy` says for this
   * event (all after their back-off when there is no strategy), in the order they became
   * unschedulable (requeuePodViaQueueingHint). Returns how many moved.
   */
  moveUnschedulable(now: number, strategy?: (pod: UnschedulablePod) => QueueingStrategy): number {
    let moved = 0;
    for (const [key, e] of this.unschedulable) {
      const s = strategy ? strategy(e) : 'afterBackoff';
      if (s === 'skip') continue;
      this.unschedulable.delete(key);
      this.requeue(e, now, s);
      moved++;
    }
    return moved;
  }

  /** flushUnschedulablePodsLeftover: those that waited more than podMaxInUnschedulablePodsDuration. */
  flushUnschedulableLeftover(now: number): number {
    let moved = 0;
    for (const [key, e] of this.unschedulable) {
      if (!(now - e.timestamp > POD_MAX_IN_UNSCHEDULABLE_PODS_DURATION)) continue;
      this.unschedulable.delete(key);
      this.requeue(e, now, 'afterBackoff');
      moved++;
    }
    return moved;
  }

  /** flushBackoffQCompleted. */
  flushBackoffCompleted(now: number): number {
    let moved = 0;
    for (let e = this.backoff.peek(); e && e.backoffExpiry <= now; e = this.backoff.peek()) {
      this.backoff.pop();
      if (this.where.get(e.key) !== 'backoff' || this.entries.get(e.key) !== e) continue;
      this.toActive(e);
      moved++;
    }
    return moved;
  }

  /** The earliest back-off expiry pending, for the caller's timer. */
  nextBackoffExpiry(): number | undefined {
    return this.backoff.peek()?.backoffExpiry;
  }

  /** requeuePodViaQueueingHint: backoffQ while backing off (isPodBackingoff), else activeQ. */
  private requeue(e: Entry, now: number, strategy: 'afterBackoff' | 'immediately'): void {
    if (strategy === 'afterBackoff' && e.backoffExpiry > now) {
      this.where.set(e.key, 'backoff');
      this.backoff.push(e);
    } else this.toActive(e);
  }

  private toActive(e: Entry): void {
    e.seq = this.seq++;
    this.where.set(e.key, 'active');
    this.active.push(e);
  }
}
