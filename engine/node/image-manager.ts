/**
 * The images on one node and the pulls in progress (pkg/kubelet/images/image_manager.go): an
 * image already present is used at once unless the pull policy is Always; a second pod
 * wanting an image being pulled waits for that pull. A pull of a cached image (policy Always)
 * costs the registry check only. Event reasons and messages are the image manager's own.
 */
import type { ClusterContext } from '../api/context.js';
import type { Pod } from '../api/types.js';
import type { KubeletShared } from './kubelet-shared.js';

export class ImageManager {
  /** Images on this node, and pods waiting for an image being pulled. */
  private readonly images = new Set<string>();
  private readonly pulling = new Map<string, (() => void)[]>();

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
    const waiting = this.pulling.get(image);
    if (waiting) {
      waiting.push(then);
      return;
    }
    this.pulling.set(image, [then]);
    this.ctx.event('Normal', 'Pulling', pod, `Pulling image "${image}"`);
    const cached = this.images.has(image);
    const duration = cached ? this.ctx.defaults.kubelet.registryCheck : Math.max(0, this.shared.imagePull(this.shared.rng));
    this.ctx.sim.after(duration, () => {
      this.images.add(image);
      const took = formatSeconds(duration);
      this.ctx.event('Normal', 'Pulled', pod, `Successfully pulled image "${image}" in ${took} (${took} including waiting)`);
      const thens = this.pulling.get(image)!;
      this.pulling.delete(image);
      for (const t of thens) t();
    });
  }

  /** The machine failed: nobody waits for a pull any more (images on disk survive). */
  forgetPulls(): void {
    this.pulling.clear();
  }
}

/** Go's time.Duration String() for the pull message (`2.512s`, `850ms`). */
function formatSeconds(seconds: number): string {
  if (seconds >= 1) return `${+seconds.toFixed(3)}s`;
  return `${+(seconds * 1000).toFixed(3)}ms`;
}
