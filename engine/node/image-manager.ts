/**
 * The images on one node and the pulls in progress (pkg/kubelet/images/image_manager.go): an
 * image already present is used at once unless the pull policy is Always; a second pod
 * wanting an image being pulled waits for that pull. A pull of a cached image (policy Always)
 * costs the registry check only. Event reasons and messages are the image manager's own.
 */
import type { ClusterContext } from '../api/context.js';
import type { EventHandle } from '../core/simulation.js';
import type { Pod } from '../api/types.js';
import type { KubeletShared } from './kubelet-shared.js';

export class ImageManager {
  /** Images on this node, and the pulls in progress: their completion event and the pods waiting. */
  private readonly images = new Set<string>();
  private readonly pulling = new Map<string, { done: EventHandle; waiting: (() => void)[] }>();

  constructor(
    private readonly ctx: ClusterContext,
    private readonly shared: KubeletShared,
  ) {}

  /** Calls `then` once `image` is on the node for `pod`, pulling it per `policy` if need be. */
  ensure(pod: Pod, image: string, policy: string, then: () => void): void {
    if (policy !== 'Always' && this.images.has(image)) {
      this.ctx.event('Normal', 'Pulled', pod, `Container image "${image}" already present on machine`);
      then();
      return;
    }
    const inProgress = this.pulling.get(image);
    if (inProgress) {
      inProgress.waiting.push(then);
      return;
    }
    this.ctx.event('Normal', 'Pulling', pod, `Pulling image "${image}"`);
    const cached = this.images.has(image);
    const duration = cached ? this.ctx.defaults.kubelet.registryCheck : Math.max(0, this.shared.imagePull(this.shared.rng));
    const done = this.ctx.sim.after(duration, () => {
      this.images.add(image);
      const took = formatSeconds(duration);
      this.ctx.event('Normal', 'Pulled', pod, `Successfully pulled image "${image}" in ${took} (${took} including waiting)`);
      const { waiting } = this.pulling.get(image)!;
      this.pulling.delete(image);
      for (const t of waiting) t();
    });
    this.pulling.set(image, { done, waiting: [then] });
  }

  /**
   * The machine failed: the pulls in progress die with it (their images never arrive; a pod
   * that still needs one pulls it again after recovery) and nobody waits for them any more.
   * Images already on disk survive.
   */
  forgetPulls(): void {
    for (const { done } of this.pulling.values()) this.ctx.sim.cancel(done);
    this.pulling.clear();
  }
}

/** Go's time.Duration String() for the pull message (`2.512s`, `850ms`). */
function formatSeconds(seconds: number): string {
  if (seconds >= 1) return `${+seconds.toFixed(3)}s`;
  return `${+(seconds * 1000).toFixed(3)}ms`;
}
