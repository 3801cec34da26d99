/**
 * The kubelet's container restart back-off (CrashLoopBackOff), as client-go's
 * flowcontrol.Backoff computes it for the kubelet:
 *  - pkg/kubelet/kubelet.go: `backOffPeriod = 10 * time.Second` (initial) and
 *    `MaxContainerBackOff = 300 * time.Second` (cap), `flowcontrol.NewBackOff(backOffPeriod,
 *    MaxContainerBackOff)`, no jitter;
 *  - pkg/kubelet/kuberuntime/kuberuntime_manager.go doBackOff: a container that exited at
 *    `finishedAt` is held back while `now - finishedAt < backoff`; when it may start, `Next`
 *    doubles the back-off (capped), or resets it to the initial value when the exit came more
 *    than 2 x max (10 min) after the previous restart: a container that ran 10 minutes is
 *    "stable" again (k8s.io/client-go/util/flowcontrol/backoff.go hasExpired).
 * So the first crash restarts at once, then the waits are 10, 20, 40, 80, 160, 300, 300 ... s.
 */
export interface BackoffParams {
  initial: number;
  max: number;
}

interface Entry {
  backoff: number;
  lastUpdate: number;
}

export class RestartBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly params: BackoffParams) {}

  private expired(eventTime: number, entry: Entry): boolean {
    return eventTime - entry.lastUpdate > 2 * this.params.max;
  }

  /** Seconds still to wait before restarting a container that exited at `finishedAt` (0: restart now). */
  remaining(key: string, finishedAt: number, now: number): number {
    const entry = this.entries.get(key);
    if (!entry || this.expired(finishedAt, entry)) return 0;
    return Math.max(0, entry.backoff - (now - finishedAt));
  }

  /** The container is being restarted: the next back-off is doubled, or reset if it ran long enough. */
  next(key: string, finishedAt: number, now: number): void {
    const entry = this.entries.get(key);
    if (!entry || this.expired(finishedAt, entry)) this.entries.set(key, { backoff: this.params.initial, lastUpdate: now });
    else {
      entry.backoff = Math.min(entry.backoff * 2, this.params.max);
      entry.lastUpdate = now;
    }
  }

  /** The current back-off of a container (for messages), 0 if none. */
  get(key: string): number {
    return this.entries.get(key)?.backoff ?? 0;
  }

  forget(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}

/** Go's time.Duration String() for whole seconds: 10s, 1m20s, 5m0s. */
export function goDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${s % 60}s`;
  return `${Math.floor(m / 60)}h${m % 60}m${s % 60}s`;
}
