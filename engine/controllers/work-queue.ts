/**
 * A controller's work queue (client-go util/workqueue): keys added while queued are merged,
 * and the queue drains in one event after the adds, in the order keys were first added.
 * Merging is what lets a burst of watch events cost one reconcile.
 *
 * `addRateLimited` is for retries after a failed write: the key comes back after a per-key
 * exponential back-off, 5 ms doubling up to 1000 s (workqueue.DefaultItemBasedRateLimiter),
 * until `forget` resets it. Without it a refused write (API server down) would be retried at
 * the same instant forever.
 */
import type { Simulation } from '../core/simulation.js';

const BASE_DELAY = 0.005;
const MAX_DELAY = 1000;

export class WorkQueue {
  private readonly queued = new Set<string>();
  private readonly failures = new Map<string, number>();
  private scheduled = false;
  /** While false (controller-manager stopped) keys accumulate and nothing is processed. */
  running = true;

  constructor(
    private readonly sim: Simulation,
    private readonly reconcile: (key: string) => void,
  ) {}

  add(key: string): void {
    this.queued.add(key);
    this.arm();
  }

  addRateLimited(key: string): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    this.sim.after(Math.min(MAX_DELAY, BASE_DELAY * 2 ** n), () => this.add(key));
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  stop(): void {
    this.running = false;
  }

  resume(): void {
    this.running = true;
    this.arm();
  }

  private arm(): void {
    if (this.scheduled || !this.running || this.queued.size === 0) return;
    this.scheduled = true;
    this.sim.after(0, () => this.drain());
  }

  private drain(): void {
    this.scheduled = false;
    if (!this.running) return;
    const keys = [...this.queued];
    this.queued.clear();
    for (const key of keys) this.reconcile(key);
  }
}
