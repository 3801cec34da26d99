/**
 * The `arrivals` and `clients` fields of a load (engine/workload/arrival-spec.ts describes the
 * shapes). A `trace` names a CSV file; the loader reads it (rate-trace.ts) relative to the
 * scenario, as it reads manifest files. The time distribution schema is passed in, since it
 * lives in scenario-schema.ts, which imports this file.
 */
import type { DistributionSpec } from '../core/distributions.js';
import type { ArrivalSpec, ClientSpec, RatePoint } from '../workload/arrival-spec.js';
import { arr, at, duration, enumOf, fail, int, literal, num, obj, refine, str, union, type Schema } from './schema.js';

/** Highest request rate of one load generator, requests per second. */
export const MAX_RATE = 1e6;
export const MAX_CLOSED_LOOP_CLIENTS = 100000;
const DAY = 86400;

const rate = () => num({ exclusiveMin: 0, max: MAX_RATE });
const rateOrZero = () => num({ min: 0, max: MAX_RATE });

const steps = refine(
  obj(
    {
      type: literal('steps'),
      steps: arr(obj({ at: duration().describe('From the load start.'), rate: rateOrZero() }, { required: ['at', 'rate'] }), { minItems: 1 }).describe(
        'Rates in requests per second from each time on; the first at 0s.',
      ),
    },
    { required: ['type', 'steps'] },
  ),
  (s, ctx): ArrivalSpec => {
    const where = at(ctx, 'steps');
    s.steps.forEach((step, i) => {
      if (i === 0 && step.at !== 0) fail(at(at(where, 0), 'at'), 'the first step at 0s', step.at);
      if (i > 0 && step.at <= s.steps[i - 1]!.at) fail(at(at(where, i), 'at'), `a time after ${s.steps[i - 1]!.at} s (increasing)`, step.at);
    });
    return { type: 'steps', steps: s.steps.map((p): RatePoint => ({ time: p.at, rate: p.rate })) };
  },
);

const sinusoidal = (type: 'sinusoidal' | 'diurnal') =>
  refine(
    obj(
      {
        type: literal(type),
        mean: rate().describe('Mean rate, requests per second.'),
        amplitude: rateOrZero().describe('Swing around the mean, at most the mean.'),
        period: (type === 'diurnal' ? duration({ exclusiveMin: 0 }).default(DAY, '24h') : duration({ exclusiveMin: 0 })).describe('Length of one cycle.'),
        peakAt: (type === 'diurnal' ? duration().default(14 * 3600, '14h') : duration().default(0)).describe('Time of the first peak from the load start.'),
      },
      { required: type === 'diurnal' ? ['type', 'mean', 'amplitude'] : ['type', 'mean', 'amplitude', 'period'] },
    ),
    (s, ctx): ArrivalSpec => {
      if (s.amplitude > s.mean) fail(at(ctx, 'amplitude'), `an amplitude of at most the mean (${s.mean})`, s.amplitude);
      return { type: 'sinusoidal', mean: s.mean, amplitude: s.amplitude, period: s.period, peakAt: s.peakAt };
    },
  );

export function arrivalsSchema(distribution: Schema<DistributionSpec>): Schema<ArrivalSpec> {
  return union(
    'type',
    {
      poisson: obj({ type: literal('poisson'), rate: rate().describe('Requests per second.') }, { required: ['type', 'rate'] }),
      constant: obj({ type: literal('constant'), rate: rate().describe('Requests per second, evenly spaced.') }, { required: ['type', 'rate'] }),
      ramp: obj(
        {
          type: literal('ramp'),
          from: rateOrZero().describe('Rate at the load start.'),
          to: rateOrZero().describe('Rate reached after `over`, then kept.'),
          over: duration({ exclusiveMin: 0 }).describe('Length of the ramp.'),
        },
        { required: ['type', 'from', 'to', 'over'] },
      ),
      steps,
      spike: obj(
        {
          type: literal('spike'),
          rate: rateOrZero().describe('Base rate.'),
          peak: rateOrZero().describe('Rate during the spike.'),
          at: duration().describe('Start of the spike, from the load start.'),
          duration: duration({ exclusiveMin: 0 }).describe('Length of the spike.'),
        },
        { required: ['type', 'rate', 'peak', 'at', 'duration'] },
      ),
      sinusoidal: sinusoidal('sinusoidal'),
      diurnal: sinusoidal('diurnal'),
      trace: refine(
        obj(
          {
            type: literal('trace'),
            file: str({ minLength: 1 }).describe('CSV file of time_s,rps rows (a header line allowed), relative to this scenario; times from the load start.'),
            interpolation: enumOf(['step', 'linear']).describe('Hold each rate until the next point, or interpolate linearly.').default('step'),
          },
          { required: ['type', 'file'] },
        ),
        (t): ArrivalSpec => ({ type: 'trace', file: t.file, interpolation: t.interpolation, points: [] }),
      ),
      closed: obj(
        {
          type: literal('closed'),
          clients: int({ min: 1, max: MAX_CLOSED_LOOP_CLIENTS }).describe('Clients in the loop, each with one request outstanding at most.'),
          thinkTime: distribution.describe('Pause between an answer (or a failure) and the next request.').default({ dist: 'constant', value: 0 }, 0),
        },
        { required: ['type', 'clients'] },
      ),
    },
    'type one of poisson, constant, ramp, steps, spike, sinusoidal, diurnal, trace, closed',
  ) as Schema<ArrivalSpec>;
}

export const CLIENT_DEFAULTS: ClientSpec = { sourceIPs: 256, requestsPerConnection: 1 };

export const clientsSchema = obj({
  sourceIPs: int({ min: 1, max: 2 ** 24 })
    .describe(`Distinct client source IPs (sessionAffinity ClientIP and IPVS sh hash them); default ${CLIENT_DEFAULTS.sourceIPs}.`)
    .default(CLIENT_DEFAULTS.sourceIPs),
  requestsPerConnection: int({ min: 1, max: 1e9 })
    .describe('Requests per TCP connection (HTTP keep-alive); kube-proxy picks an endpoint per connection. Default 1 (a new connection per request, like wget).')
    .default(CLIENT_DEFAULTS.requestsPerConnection),
})
  .describe('Who sends the requests: source addresses and connection reuse.')
  .default({ ...CLIENT_DEFAULTS });
