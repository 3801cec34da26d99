/**
 * What a kubelet keeps of each pod bound to its node and of each of the pod's containers, and
 * the timers it has pending for them (start-up step, SIGKILL, probe ticks, crash clock, restart).
 */
import type { Pod } from '../api/types.js';
import type { EventHandle, Simulation } from '../core/simulation.js';
import { defaultPullPolicy } from './image-pull-policy.js';
import type { ProbeState } from './prober.js';

export type PodState = 'starting' | 'running' | 'failed' | 'terminating';

export interface ContainerRecord {
  name: string;
  image: string;
  pullPolicy: string;
  restartCount: number;
  state: 'waiting' | 'running' | 'terminated';
  /** Incremented at every start: timers of an earlier instance are ignored. */
  instance: number;
  startedAt?: number;
  waitingReason?: string;
  waitingMessage?: string;
  last?: { exitCode: number; reason: string; startedAt?: number; finishedAt: number };
  readiness?: ProbeState;
  liveness?: ProbeState;
  /** Probe ticks, crash timer, pending restart. */
  timers: EventHandle[];
}

export interface PodRecord {
  pod: Pod;
  state: PodState;
  ip?: string;
  /** The pending start-up step, cancelled if the pod is deleted meanwhile. */
  step?: EventHandle;
  kill?: EventHandle;
  containers: ContainerRecord[];
  /** The application: up (serving), down (a container is not running), hung (running, answering nothing). */
  app: 'up' | 'down' | 'hung';
}

/** A pod newly bound to the node: every container waiting in ContainerCreating, the application down. */
export function newPodRecord(pod: Pod): PodRecord {
  const containers = pod.spec.containers.map(
    (c): ContainerRecord => ({
      name: c.name,
      image: c.image,
      pullPolicy: (c.imagePullPolicy as string | undefined) ?? defaultPullPolicy(c.image),
      restartCount: 0,
      state: 'waiting',
      waitingReason: 'ContainerCreating',
      instance: 0,
      timers: [],
    }),
  );
  return { pod, state: 'starting', containers, app: 'down' };
}

/** Cancels the container's timers and ends its instance, so that callbacks of the old instance ignore themselves. */
export function cancelContainerTimers(sim: Simulation, c: ContainerRecord): void {
  for (const t of c.timers) sim.cancel(t);
  c.timers = [];
  c.instance++;
}

/** Cancels every timer of the pod: the start-up step, the SIGKILL and its containers'. */
export function cancelPodTimers(sim: Simulation, record: PodRecord): void {
  if (record.step !== undefined) sim.cancel(record.step);
  if (record.kill !== undefined) sim.cancel(record.kill);
  record.step = record.kill = undefined;
  for (const c of record.containers) cancelContainerTimers(sim, c);
}
