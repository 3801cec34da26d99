/**
 * Request conservation under random traffic settings (fast-check): whatever the kube-proxy
 * mode and scheduler, traffic policies, affinity, load shape, keep-alive and timeline,
 * every request sent is served, failed (each failure under one cause) or in flight at the end.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runScenario } from '../../engine/run.js';
import { FAILURE_REASONS } from '../../engine/metrics/traffic-stats.js';
import { IPVS_SCHEDULERS, PROXY_MODES } from '../../engine/network/kube-proxy-config.js';
import { loadScenarioText } from '../../engine/scenario/loader.js';
import { MemoryObserver } from '../helpers/memory-observer.js';
import { testScenarioYaml } from '../helpers/scenario.js';

const arrivals = fc.constantFrom(
  '{type: poisson, rate: 80}',
  '{type: ramp, from: 10, to: 200, over: 30s}',
  '{type: steps, steps: [{at: 0s, rate: 50}, {at: 20s, rate: 300}]}',
  '{type: spike, rate: 20, peak: 400, at: 10s, duration: 5s}',
  '{type: sinusoidal, mean: 100, amplitude: 80, period: 20s}',
  '{type: closed, clients: 8, thinkTime: {dist: exponential, mean: 50ms}}',
);

test('requests are conserved whatever the data-path settings', () => {
  fc.assert(
    fc.property(
      fc.record({
        seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        mode: fc.constantFrom(...PROXY_MODES),
        scheduler: fc.constantFrom(...IPVS_SCHEDULERS),
        etp: fc.constantFrom('Cluster', 'Local'),
        affinity: fc.constantFrom('None', 'ClientIP'),
        via: fc.constantFrom('NodePort', 'ClusterIP'),
        arrivals,
        perConnection: fc.integer({ min: 1, max: 20 }),
        limit: fc.constantFrom('', '300m', '2'),
        replicas: fc.integer({ min: 0, max: 4 }),
        scaleTo: fc.integer({ min: 0, max: 5 }),
      }),
      (o) => {
        const overrides = [
          `spec.kubeProxy={mode: ${o.mode}, ipvs: {scheduler: ${o.scheduler}}}`,
          `spec.manifests[1].spec.externalTrafficPolicy=${o.etp}`,
          `spec.manifests[1].spec.sessionAffinity=${o.affinity}`,
          `spec.load[0].target.via=${o.via}`,
          `spec.load[0].arrivals=${o.arrivals}`,
          `spec.load[0].clients={sourceIPs: 16, requestsPerConnection: ${o.perConnection}}`,
          ...(o.limit ? [`spec.manifests[0].spec.template.spec.containers[0].resources={requests: {cpu: 100m}, limits: {cpu: ${o.limit}}}`] : []),
        ];
        const yaml = testScenarioYaml({
          seed: o.seed,
          duration: '50s',
          loadStart: '5s',
          replicas: o.replicas,
          timeout: '2s',
          timeline: [
            { at: '25s', run: `kubectl scale deployment web --replicas=${o.scaleTo}` },
            { at: '35s', run: 'kubectl delete pod -l app=web' },
          ],
        });
        const s = runScenario(loadScenarioText(yaml, 'test.yaml', { overrides }).scenario, new MemoryObserver()).summary;
        assert.equal(s.get('requests'), s.get('requests_served')! + s.get('requests_failed')! + s.get('requests_in_flight_at_end')!);
        const byCause = FAILURE_REASONS.reduce((sum, r) => sum + s.get(`requests_failed_${r}`)!, 0);
        assert.equal(byCause, s.get('requests_failed'));
      },
    ),
    { numRuns: 12 },
  );
});
