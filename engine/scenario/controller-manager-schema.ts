/**
 * Component flags a scenario may set, under their real command-line names:
 * `spec.controllerManager` takes kube-controller-manager's HPA flags, `spec.metricsServer`
 * metrics-server's --metric-resolution. Unset flags keep the upstream defaults
 * (DEFAULTS.hpa, DEFAULTS.metrics, cited there).
 */
import { DEFAULTS } from './defaults.js';
import { duration, num, obj, refine } from './schema.js';
import type { ControllerManagerFlags, MetricsServerFlags } from './types.js';

const H = DEFAULTS.hpa;

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export const controllerManagerSpec = () =>
  refine(
    obj({
      '--horizontal-pod-autoscaler-sync-period': duration({ exclusiveMin: 0 }).describe(`How often the HPA controller syncs each HPA (default ${H.syncPeriod}s).`),
      '--horizontal-pod-autoscaler-tolerance': num({ min: 0 }).describe(`No scaling while usage/target is within 1 +- this (default ${H.tolerance}).`),
      '--horizontal-pod-autoscaler-cpu-initialization-period': duration().describe(`CPU samples of pods started this recently are distrusted (default ${H.cpuInitializationPeriod / 60}m).`),
      '--horizontal-pod-autoscaler-initial-readiness-delay': duration().describe(`Readiness changes this soon after start mean "never ready yet" (default ${H.initialReadinessDelay}s).`),
      '--horizontal-pod-autoscaler-downscale-stabilization': duration().describe(`Scale-down window without spec.behavior (default ${H.downscaleStabilization / 60}m).`),
    }),
    (f): ControllerManagerFlags =>
      defined({
        syncPeriod: f['--horizontal-pod-autoscaler-sync-period'],
        tolerance: f['--horizontal-pod-autoscaler-tolerance'],
        cpuInitializationPeriod: f['--horizontal-pod-autoscaler-cpu-initialization-period'],
        initialReadinessDelay: f['--horizontal-pod-autoscaler-initial-readiness-delay'],
        downscaleStabilization: f['--horizontal-pod-autoscaler-downscale-stabilization'],
      }),
  ).describe('kube-controller-manager flags, by their names, e.g. {"--horizontal-pod-autoscaler-sync-period": 15s}.');

export const metricsServerSpec = () =>
  refine(
    obj({
      // metrics-server refuses a resolution under 10 s (cmd/metrics-server/app/options/options.go Validate).
      '--metric-resolution': duration({ min: 10 }).describe(`Scrape period of metrics-server (default ${DEFAULTS.metrics.metricResolution}s, as in its upstream manifests).`),
    }),
    (f): MetricsServerFlags => defined({ metricResolution: f['--metric-resolution'] }),
  ).describe('metrics-server flags, by their names, e.g. {"--metric-resolution": 15s}.');
