/**
 * Open-loop load: requests arrive as the load's shape says (arrival-process.ts), whatever the
 * cluster answers, as real users do. Each comes from one of the load's client source IPs,
 * drawn uniformly, and takes the load's request path (request-path.ts).
 */
import type { HandlerId } from '../core/simulation.js';
import type { Rng } from '../core/rng.js';
import type { OpenLoopSpec } from './arrival-spec.js';
import { ArrivalProcess } from './arrival-process.js';
import type { PathDeps, RequestPath } from './request-path.js';
import type { LoadSpec } from '../scenario/types.js';

export class LoadGenerator {
  private readonly arrivals: ArrivalProcess;
  private readonly clientRng: Rng;
  private readonly arriveHandler: HandlerId;

  constructor(
    private readonly deps: PathDeps,
    private readonly spec: LoadSpec,
    private readonly path: RequestPath,
  ) {
    this.arrivals = new ArrivalProcess(spec.arrivals as OpenLoopSpec, deps.sim.stream(`load/${spec.name}/arrivals`), spec.start);
    this.clientRng = deps.sim.stream(`load/${spec.name}/clients`);
    // Registered: it fires once per request, so it skips per-event callback storage.
    this.arriveHandler = deps.sim.register(() => this.arrive());
  }

  start(): void {
    this.scheduleAfter(this.spec.start);
  }

  private scheduleAfter(now: number): void {
    const next = this.arrivals.next(now);
    if (next < this.spec.stop) this.deps.sim.schedule(next, this.arriveHandler);
  }

  private arrive(): void {
    this.scheduleAfter(this.deps.sim.now);
    const ips = this.spec.clients.sourceIPs;
    this.path.send(ips === 1 ? 0 : this.clientRng.int(ips));
  }
}
