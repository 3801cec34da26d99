/**
 * Per-pod CPU rows of timeseries.csv: `cpu_usage_millicores` (kind Pod), the average CPU each
 * running pod used over the last sample interval (or since it started), straight from the
 * runtime's counters: the usage itself, without the metrics pipeline's lag that the HPA sees.
 */
import type { UsageSource } from './cadvisor.js';
import type { Observer } from './observer.js';

export class PodCpuSampler {
  /** CPU-seconds per pod uid at the previous sample. */
  private previous = new Map<string, number>();
  private lastTime = 0;

  constructor(private readonly source: UsageSource) {}

  sample(time: number, observer: Observer): void {
    const next = new Map<string, number>();
    this.source.forEachRunning((u) => {
      next.set(u.uid, u.cpuSeconds);
      const since = Math.max(this.lastTime, u.startTime);
      if (time <= since) return;
      const used = u.cpuSeconds - (this.previous.get(u.uid) ?? 0);
      observer.sample(time, 'Pod', u.namespace, u.name, 'cpu_usage_millicores', (used / (time - since)) * 1000);
    });
    this.previous = next;
    this.lastTime = time;
  }
}
