/**
 * Closed-loop load, like N pods running `while true; do wget -q -O- http://svc; done`: each
 * client sends one request, waits for its answer or its failure (a timeout included), thinks
 * for a time drawn from `thinkTime`, and sends the next. Throughput then follows the cluster:
 * by Little's law X = N / (think + response time). Client i sends from source IP i mod
 * `clients.sourceIPs`. A failure that comes back at once (no endpoints, refused) is learnt
 * one network round trip after sending, so a client with no think time never spins in zero
 * time. Clients start at the load's start plus one think time each, spreading them out.
 */
import type { HandlerId } from '../core/simulation.js';
import type { Rng } from '../core/rng.js';
import { sampler, type Sampler } from '../core/distributions.js';
import type { ClosedLoopSpec } from './arrival-spec.js';
import type { PathDeps, RequestPath } from './request-path.js';
import type { LoadSpec } from '../scenario/types.js';

export class ClosedLoop {
  private readonly think: Sampler;
  private readonly rng: Rng;
  private readonly sendHandler: HandlerId;
  private readonly loop: ClosedLoopSpec;

  constructor(
    private readonly deps: PathDeps,
    private readonly spec: LoadSpec,
    private readonly path: RequestPath,
  ) {
    this.loop = spec.arrivals as ClosedLoopSpec;
    this.think = sampler(this.loop.thinkTime);
    this.rng = deps.sim.stream(`load/${spec.name}/think`);
    this.sendHandler = deps.sim.register((client) => this.path.send(client));
  }

  start(): void {
    for (let client = 0; client < this.loop.clients; client++) this.sendAt(this.spec.start + this.thinkTime(), client);
  }

  /** A request of client `client` ended (answered or not): the next one after thinking. */
  ended(client: number, answered: boolean): void {
    const now = this.deps.sim.now;
    const gap = this.thinkTime();
    const learnt = answered ? 0 : Math.max(2 * this.deps.hopLatency, 1e-6);
    this.sendAt(now + Math.max(gap, learnt), client);
  }

  private thinkTime(): number {
    return Math.max(0, this.think(this.rng));
  }

  private sendAt(at: number, client: number): void {
    if (at < this.spec.stop) this.deps.sim.schedule(at, this.sendHandler, client);
  }
}
