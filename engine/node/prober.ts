/**
 * Readiness and liveness probes, with the upstream semantics (pkg/kubelet/prober/worker.go,
 * defaults from k8s.io/api core/v1 SetDefaults_Probe): one worker per container and probe,
 * probing every `periodSeconds` (default 10); nothing is probed before `initialDelaySeconds`
 * after the container started; the result flips to failure after `failureThreshold`
 * consecutive failures (default 3) and back to success after `successThreshold` consecutive
 * successes (default 1; liveness requires 1). A readiness result starts as failure, a
 * liveness result as success (worker.go initialValue).
 *
 * What the probe checks is the application model: the probe succeeds while the app answers
 * (running and not hung). The first probe runs at start + initialDelaySeconds; the real
 * worker's phase (its start time plus jitter) is not modelled.
 */
export interface ProbeSpec {
  initialDelaySeconds: number;
  periodSeconds: number;
  failureThreshold: number;
  successThreshold: number;
}

export const PROBE_DEFAULTS: Readonly<ProbeSpec> = Object.freeze({ initialDelaySeconds: 0, periodSeconds: 10, failureThreshold: 3, successThreshold: 1 });

/** A container's probe as the manifest has it, with the API defaults filled in; undefined without one. */
export function probeSpec(probe: unknown): ProbeSpec | undefined {
  if (typeof probe !== 'object' || probe === null) return undefined;
  const p = probe as Partial<Record<keyof ProbeSpec, unknown>>;
  const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : d);
  return {
    initialDelaySeconds: num(p.initialDelaySeconds, PROBE_DEFAULTS.initialDelaySeconds),
    periodSeconds: Math.max(1, num(p.periodSeconds, PROBE_DEFAULTS.periodSeconds)),
    failureThreshold: Math.max(1, num(p.failureThreshold, PROBE_DEFAULTS.failureThreshold)),
    successThreshold: Math.max(1, num(p.successThreshold, PROBE_DEFAULTS.successThreshold)),
  };
}

/** The result of one probe worker: consecutive counts and the current verdict. */
export class ProbeState {
  private successes = 0;
  private failures = 0;

  constructor(
    readonly spec: ProbeSpec,
    /** Readiness starts failed, liveness succeeded. */
    public result: boolean,
  ) {}

  /** Records one probe; returns true when the result changed. */
  record(ok: boolean): boolean {
    if (ok) {
      this.failures = 0;
      this.successes++;
      if (!this.result && this.successes >= this.spec.successThreshold) {
        this.result = true;
        return true;
      }
    } else {
      this.successes = 0;
      this.failures++;
      if (this.result && this.failures >= this.spec.failureThreshold) {
        this.result = false;
        return true;
      }
    }
    return false;
  }
}
