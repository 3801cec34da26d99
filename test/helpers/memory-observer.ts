/** An Observer that keeps everything in memory, for assertions. */
import type { ClusterEvent, Observer } from '../../engine/metrics/observer.js';

export interface SampleRow {
  time: number;
  kind: string;
  namespace: string;
  name: string;
  metric: string;
  value: number;
}

export class MemoryObserver implements Observer {
  readonly samples: SampleRow[] = [];
  readonly events: ClusterEvent[] = [];
  readonly totals: Omit<SampleRow, 'time'>[] = [];
  summaryValues: ReadonlyMap<string, number> = new Map();
  /** What timeline `kubectl get` commands printed (snapshots.txt), in order. */
  readonly snapshots: { time: number; command: string; text: string }[] = [];

  sample(time: number, kind: string, namespace: string, name: string, metric: string, value: number): void {
    this.samples.push({ time, kind, namespace, name, metric, value });
  }
  event(event: ClusterEvent): void {
    this.events.push(event);
  }
  total(kind: string, namespace: string, name: string, metric: string, value: number): void {
    this.totals.push({ kind, namespace, name, metric, value });
  }
  snapshot(time: number, command: string, text: string): void {
    this.snapshots.push({ time, command, text });
  }
  summary(values: ReadonlyMap<string, number>): void {
    this.summaryValues = values;
  }

  /** The value series of one metric of one object, in time order. */
  series(kind: string, name: string, metric: string): { time: number; value: number }[] {
    return this.samples.filter((s) => s.kind === kind && s.name === name && s.metric === metric).map((s) => ({ time: s.time, value: s.value }));
  }

  eventsWith(reason: string): ClusterEvent[] {
    return this.events.filter((e) => e.reason === reason);
  }
}
