/**
 * What a run tells the outside world. The engine calls these; `reports/` decides where the
 * records go (CSV files, memory for tests). The run-level columns (variant, run, seed) are the
 * sink's business, not the engine's.
 *
 * Every call happens in simulated-time order, so a sink can stream rows as they come.
 */

export type EventType = 'Normal' | 'Warning';

/** One `kubectl get events` line. */
export interface ClusterEvent {
  time: number;
  type: EventType;
  reason: string;
  kind: string;
  namespace: string;
  name: string;
  message: string;
}

export interface Observer {
  /** One metric of one object at a sample instant (kind `Cluster`, empty namespace and name, for cluster-wide metrics). */
  sample(time: number, kind: string, namespace: string, name: string, metric: string, value: number): void;
  event(event: ClusterEvent): void;
  /** Per-object totals at the end of the run. */
  total(kind: string, namespace: string, name: string, metric: string, value: number): void;
  /** Run-wide named totals at the end of the run (one summary row). */
  summary(values: ReadonlyMap<string, number>): void;
  /**
   * Optional: what a `kubectl get` in the timeline (or `kubesim run --snapshot AT`) printed,
   * the whole table as kubectl prints it, at simulated `time`. Sinks without it drop snapshots.
   */
  snapshot?(time: number, command: string, text: string): void;
}

/** An observer that drops everything (for benchmarks). */
export const NULL_OBSERVER: Observer = Object.freeze({
  sample() {},
  event() {},
  total() {},
  summary() {},
});
