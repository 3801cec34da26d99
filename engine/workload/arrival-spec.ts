/**
 * How a load's requests are generated, after loading (times in seconds from the load's start,
 * rates in requests per second). Open-loop shapes send whatever the cluster answers, as real
 * users do; the closed loop sends each client's next request only once its previous one ended.
 */
import type { DistributionSpec } from '../core/distributions.js';

export interface RatePoint {
  /** Seconds from the load's start. */
  time: number;
  /** Requests per second from `time` on. */
  rate: number;
}

export type OpenLoopSpec =
  /** Evenly spaced requests, one every 1/rate seconds. */
  | { type: 'constant'; rate: number }
  /** A homogeneous Poisson process. */
  | { type: 'poisson'; rate: number }
  /** Poisson, the rate going linearly from `from` to `to` over `over` seconds, then staying at `to`. */
  | { type: 'ramp'; from: number; to: number; over: number }
  /** Poisson, the rate constant between steps; the first step is at 0. */
  | { type: 'steps'; steps: RatePoint[] }
  /** Poisson at `rate`, at `peak` during [at, at + duration). */
  | { type: 'spike'; rate: number; peak: number; at: number; duration: number }
  /** Poisson at mean + amplitude cos(2 pi (t - peakAt) / period) (diurnal: period one day). */
  | { type: 'sinusoidal'; mean: number; amplitude: number; period: number; peakAt: number }
  /** Poisson following a measured rate trace (a `time_s,rps` CSV), held (step) or interpolated (linear) between points, the last rate held. */
  | { type: 'trace'; points: RatePoint[]; interpolation: 'step' | 'linear'; file?: string };

/** N clients in a loop: send, wait for the answer (or the failure), think, send again. */
export interface ClosedLoopSpec {
  type: 'closed';
  clients: number;
  thinkTime: DistributionSpec;
}

export type ArrivalSpec = OpenLoopSpec | ClosedLoopSpec;

/** Who sends: source addresses (kube-proxy's sessionAffinity and IPVS sh hash them) and their connections. */
export interface ClientSpec {
  /** Distinct client source IPs; open-loop requests come from one of them at random. */
  sourceIPs: number;
  /**
   * Requests sent over one TCP connection before the client opens a new one (HTTP keep-alive).
   * kube-proxy chooses the endpoint per connection: later requests follow conntrack.
   */
  requestsPerConnection: number;
}
