/**
 * A controller's work queue (client-go util/workqueue): keys added while queued are merged,
 * and the queue drains in one event after the adds, in the order keys were first added.
 * Merging is what lets a burst of watch events cost one reconcile.
 */
import type { Simulation } from '../core/simulation.js';

export class WorkQueue {
  private readonly queued = new Set<string>();
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
