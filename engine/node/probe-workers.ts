/**
 * The probe workers of one container (pkg/kubelet/prober/worker.go): one per readiness and
 * liveness probe, ticking every periodSeconds from initialDelaySeconds after the start, for as
 * long as this instance of the container runs. The probe result semantics are prober.ts's; what
 * is probed is the application model (it answers while it is up). A readiness change posts the
 * pod status; a liveness failure kills the container.
 */
import type { ClusterContext } from '../api/context.js';
import type { ContainerRecord, PodRecord } from './pod-record.js';
import { probeSpec, ProbeState } from './prober.js';

export interface ProbeHooks {
  /** False while the kubelet process is stopped or the machine down: the workers keep ticking, probing nothing. */
  kubeletRunning(): boolean;
  /** The readiness result changed. */
  readinessChanged(): void;
  /** The liveness result turned to failure: the container is to be killed. */
  livenessFailed(): void;
}

/** Starts the probe workers of container `c`, instance `instance`, which has just started. */
export function startProbeWorkers(ctx: ClusterContext, record: PodRecord, c: ContainerRecord, instance: number, hooks: ProbeHooks): void {
  const pod = record.pod;
  const spec = pod.spec.containers.find((x) => x.name === c.name);
  const readiness = probeSpec(spec?.readinessProbe);
  const liveness = probeSpec(spec?.livenessProbe);
  // A new container starts with a fresh probe result (worker.go: reset on a new container ID).
  c.readiness = readiness && new ProbeState(readiness, false);
  c.liveness = liveness && new ProbeState(liveness, true);
  for (const [probe, kind] of [
    [c.readiness, 'Readiness'],
    [c.liveness, 'Liveness'],
  ] as const) {
    if (!probe) continue;
    const tick = () => {
      if (c.instance !== instance || c.state !== 'running' || record.state !== 'running') return;
      c.timers.push(ctx.sim.after(probe.spec.periodSeconds, tick));
      if (!hooks.kubeletRunning()) return;
      const ok = record.app === 'up';
      if (!probe.record(ok)) return;
      if (!ok) ctx.event('Warning', 'Unhealthy', pod, `${kind} probe failed: the application did not answer`);
      if (kind === 'Readiness') hooks.readinessChanged();
      else if (!ok) {
        ctx.event('Normal', 'Killing', pod, `Container ${c.name} failed liveness probe, will be restarted`);
        hooks.livenessFailed();
      }
    };
    if (probe.spec.initialDelaySeconds === 0 && kind === 'Readiness') {
      // The first probe runs as the container starts: no status write of its own.
      probe.record(record.app !== 'hung');
      c.timers.push(ctx.sim.after(probe.spec.periodSeconds, tick));
    } else {
      c.timers.push(ctx.sim.after(probe.spec.initialDelaySeconds, tick));
    }
  }
}
