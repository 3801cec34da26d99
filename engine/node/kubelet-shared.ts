/** What the kubelets of one run share: the container runtime, the timing samplers and the RNG streams. */
import type { ClusterContext } from '../api/context.js';
import { sampler, type Sampler } from '../core/distributions.js';
import type { Rng } from '../core/rng.js';
import type { ContainerRuntime } from './container-runtime.js';

/** Shared by the kubelets of one run: samplers and the RNG streams. */
export interface KubeletShared {
  runtime: ContainerRuntime;
  imagePull: Sampler;
  containerStart: Sampler;
  rng: Rng;
  /** Draws of crash times (a stream of its own, so crashes do not perturb start-up times). */
  crashRng: Rng;
}

export function kubeletShared(ctx: ClusterContext, runtime: ContainerRuntime): KubeletShared {
  return {
    runtime,
    imagePull: sampler(ctx.defaults.kubelet.imagePull),
    containerStart: sampler(ctx.defaults.kubelet.containerStart),
    rng: ctx.sim.stream('kubelet'),
    crashRng: ctx.sim.stream('kubelet/crash'),
  };
}
