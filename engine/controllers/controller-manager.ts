/**
 * kube-controller-manager: the controllers that run in it, stopped and started together (a
 * fault action). While stopped nothing reconciles: no self-healing, no scaling, no node
 * health checks; watch events still queue up and are handled when it starts again, as a
 * restarted controller-manager relists and resyncs.
 */
import type { ClusterContext } from '../api/context.js';
import { DeploymentController } from './deployment.js';
import { EndpointSliceController } from './endpointslice.js';
import { NodeLifecycleController } from './nodelifecycle.js';
import { ReplicaSetController } from './replicaset.js';
import { TaintEvictionController } from './taint-eviction.js';
import type { WorkQueue } from './work-queue.js';

/** A controller driven by timers rather than a work queue. */
interface Switchable {
  running: boolean;
}

export class ControllerManager {
  private readonly queues: WorkQueue[] = [];
  private readonly timed: Switchable[] = [];
  running = true;

  constructor(ctx: ClusterContext) {
    this.queues.push(
      new ReplicaSetController(ctx).workQueue,
      new DeploymentController(ctx).workQueue,
      new EndpointSliceController(ctx).workQueue,
    );
    this.timed.push(new NodeLifecycleController(ctx), new TaintEvictionController(ctx));
  }

  /** Adds a controller built elsewhere (its queue or its running flag) to the group. */
  add(controller: WorkQueue | Switchable): void {
    if ('resume' in controller) this.queues.push(controller);
    else this.timed.push(controller);
  }

  stop(): void {
    this.running = false;
    for (const q of this.queues) q.stop();
    for (const c of this.timed) c.running = false;
  }

  start(): void {
    this.running = true;
    for (const c of this.timed) c.running = true;
    for (const q of this.queues) q.resume();
  }
}
