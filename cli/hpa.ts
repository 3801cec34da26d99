/**
 * `kubesim hpa -f FILE...`: one HorizontalPodAutoscaler controller step, explained. Reads the
 * HPA, its scale target, pods, metrics and optionally the controller's memory, runs exactly
 * what kube-controller-manager's HPA sync would (engine/controllers/hpa/reconcile.ts), and
 * prints each metric's proposal, the stabilized and limited result, and the recommendations
 * the controller keeps afterwards.
 */
import type { Command } from 'commander';
import { parseDuration } from '../engine/core/duration.js';
import { readHpaDocuments, type SourceDocument } from '../engine/controllers/hpa/documents.js';
import { reconcile, type ReconcileResult } from '../engine/controllers/hpa/reconcile.js';
import { formatRfc3339, parseRfc3339 } from '../engine/controllers/hpa/rfc3339.js';
import type { HpaControllerConfig, HpaHistory } from '../engine/controllers/hpa/types.js';
import { DEFAULTS } from '../engine/scenario/defaults.js';
import { parseYamlDocuments, readFileBytes } from '../engine/scenario/yaml-source.js';
import { usage } from './errors.js';
import { collect } from './options.js';

interface HpaFlags {
  filename: string[];
  now?: string;
  recommendation?: string;
  output: string;
  horizontalPodAutoscalerSyncPeriod?: string;
  horizontalPodAutoscalerTolerance?: string;
  horizontalPodAutoscalerCpuInitializationPeriod?: string;
  horizontalPodAutoscalerInitialReadinessDelay?: string;
  horizontalPodAutoscalerDownscaleStabilization?: string;
}

const D = DEFAULTS.hpa;

export function registerHpa(program: Command): void {
  program
    .command('hpa')
    .description('run one HorizontalPodAutoscaler controller step on the given objects and explain it')
    .requiredOption('-f, --filename <file>', 'YAML file with objects (repeatable): the HPA, its target, Pods, PodMetrics, MetricValueList, ExternalMetricValueList, HorizontalPodAutoscalerHistory', collect, [])
    .option('--now <time>', 'the controller clock, RFC 3339 (default: the current time)')
    .option('--recommendation <n>', 'skip the metrics: take N as the raw recommendation (to explore behavior policies)')
    .option('-o, --output <format>', 'table or json', 'table')
    .option('--horizontal-pod-autoscaler-sync-period <d>', `sync period (default ${D.syncPeriod}s; one step here, recorded only)`)
    .option('--horizontal-pod-autoscaler-tolerance <x>', `tolerance around a usage ratio of 1 (default ${D.tolerance})`)
    .option('--horizontal-pod-autoscaler-cpu-initialization-period <d>', `CPU samples of starting pods are distrusted for this long (default ${D.cpuInitializationPeriod / 60}m)`)
    .option('--horizontal-pod-autoscaler-initial-readiness-delay <d>', `readiness flips within this time of start mean "never ready" (default ${D.initialReadinessDelay}s)`)
    .option('--horizontal-pod-autoscaler-downscale-stabilization <d>', `scale-down stabilization window (default ${D.downscaleStabilization / 60}m)`)
    .addHelpText(
      'after',
      `
Examples:
  $ kubesim hpa -f hpa.yaml -f deployment.yaml -f pods.yaml -f podmetrics.yaml
  $ kubesim hpa -f all.yaml --now 2026-01-01T00:00:00Z -o json
  $ kubesim hpa -f all.yaml -f history.yaml --recommendation 12 --horizontal-pod-autoscaler-downscale-stabilization=1m

The files hold ordinary objects, several per file with ---: a HorizontalPodAutoscaler
(autoscaling/v2), its Deployment/ReplicaSet/StatefulSet, Pods with status, PodMetrics
(metrics.k8s.io/v1beta1), MetricValueList (custom.metrics.k8s.io/v1beta2),
ExternalMetricValueList (external.metrics.k8s.io/v1beta1), and the controller's memory as
kind HorizontalPodAutoscalerHistory (kubesim.dev/v1alpha1) with recommendations
[{replicas, timestamp}], scaleUpEvents and scaleDownEvents [{replicaChange, timestamp}].
-o json prints hpa, currentReplicas, metrics[], recommendation, stabilizedRecommendation,
desiredReplicas, limitReason and recommendationsAfter.`,
    )
    .action((flags: HpaFlags) => hpaCommand(flags));
}

function seconds(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  try {
    return parseDuration(value);
  } catch {
    throw usage.badValue(flag, value, 'a duration such as 15s, 5m or 30s');
  }
}

function config(flags: HpaFlags): HpaControllerConfig {
  seconds(flags.horizontalPodAutoscalerSyncPeriod, '--horizontal-pod-autoscaler-sync-period', D.syncPeriod);
  let tolerance: number = D.tolerance;
  if (flags.horizontalPodAutoscalerTolerance !== undefined) {
    tolerance = Number(flags.horizontalPodAutoscalerTolerance);
    if (flags.horizontalPodAutoscalerTolerance.trim() === '' || !Number.isFinite(tolerance) || tolerance < 0) {
      throw usage.badNumber('--horizontal-pod-autoscaler-tolerance', flags.horizontalPodAutoscalerTolerance, 'a number >= 0 such as 0.1');
    }
  }
  return {
    tolerance,
    cpuInitializationPeriod: seconds(flags.horizontalPodAutoscalerCpuInitializationPeriod, '--horizontal-pod-autoscaler-cpu-initialization-period', D.cpuInitializationPeriod),
    initialReadinessDelay: seconds(flags.horizontalPodAutoscalerInitialReadinessDelay, '--horizontal-pod-autoscaler-initial-readiness-delay', D.initialReadinessDelay),
    downscaleStabilization: seconds(flags.horizontalPodAutoscalerDownscaleStabilization, '--horizontal-pod-autoscaler-downscale-stabilization', D.downscaleStabilization),
  };
}

function hpaCommand(flags: HpaFlags): void {
  // Commander hands `-o=json` over as "=json"; the long forms take `=` natively.
  flags.output = flags.output.replace(/^=/, '');
  if (flags.output !== 'table' && flags.output !== 'json') throw usage.badValue('--output', flags.output, 'table or json');
  let now = Date.now() / 1000;
  if (flags.now !== undefined) {
    const t = parseRfc3339(flags.now);
    if (t === undefined) throw usage.badValue('--now', flags.now, 'an RFC 3339 time such as 2026-01-01T00:00:00Z');
    now = t;
  }
  let recommendation: number | undefined;
  if (flags.recommendation !== undefined) {
    recommendation = Number(flags.recommendation);
    if (flags.recommendation.trim() === '' || !Number.isInteger(recommendation) || recommendation < 0 || recommendation > 2147483647) {
      throw usage.badNumber('--recommendation', flags.recommendation, 'an integer >= 0');
    }
  }
  const cfg = config(flags);
  const docs: SourceDocument[] = [];
  for (const file of flags.filename) {
    const values = parseYamlDocuments(readFileBytes(file, file).toString('utf8'), file);
    values.forEach((value, index) => docs.push({ value, file, index, count: values.length }));
  }
  const inputs = readHpaDocuments(docs);
  const result = reconcile({ ...inputs, now, config: cfg, ...(recommendation !== undefined ? { recommendation } : {}) });
  const name = `${inputs.hpa.metadata.namespace}/${inputs.hpa.metadata.name}`;
  process.stdout.write(flags.output === 'json' ? `${JSON.stringify(toJson(name, result, inputs.history), null, 2)}\n` : toTable(name, result, inputs.history));
}

/** The `-o json` contract. */
function toJson(name: string, r: ReconcileResult, history: HpaHistory): unknown {
  return {
    hpa: name,
    currentReplicas: r.currentReplicas,
    metrics: r.metrics.map((m) => ({
      type: m.type,
      name: m.name,
      currentAverageUtilization: m.currentAverageUtilization,
      currentAverageValueMilli: m.currentAverageValueMilli,
      currentValueMilli: m.currentValueMilli,
      replicas: m.replicas,
    })),
    recommendation: r.recommendation,
    stabilizedRecommendation: r.stabilizedRecommendation,
    desiredReplicas: r.desiredReplicas,
    limitReason: r.limitReason,
    recommendationsAfter: (history.recommendations ?? []).map((x) => ({ replicas: x.replicas, timestamp: formatRfc3339(x.timestamp) })),
  };
}

function show(v: number | null): string {
  return v === null ? '-' : String(v);
}

function toTable(name: string, r: ReconcileResult, history: HpaHistory): string {
  const lines: string[] = [`HorizontalPodAutoscaler ${name}: current replicas ${r.currentReplicas}`, ''];
  if (r.metrics.length) {
    lines.push('METRIC                         CURRENT                PROPOSAL');
    for (const m of r.metrics) {
      const current =
        m.error !== undefined
          ? `error: ${m.error}`
          : m.currentAverageUtilization !== null
            ? `${m.currentAverageUtilization}% (avg ${m.currentAverageValueMilli}m)`
            : m.currentAverageValueMilli !== null
              ? `avg ${m.currentAverageValueMilli}m`
              : `${m.currentValueMilli}m`;
      lines.push(`${`${m.type}/${m.name}`.padEnd(30)} ${current.padEnd(22)} ${show(m.replicas)}`);
    }
    lines.push('');
  }
  lines.push(`recommendation            ${show(r.recommendation)}`);
  lines.push(`stabilized recommendation ${show(r.stabilizedRecommendation)}`);
  lines.push(`desired replicas          ${r.desiredReplicas}${r.limitReason ? ` (${r.limitReason})` : ''}`);
  lines.push('', 'CONDITIONS');
  for (const c of r.conditions) lines.push(`  ${c.type}=${c.status} ${c.reason}: ${c.message}`);
  if (r.events.length) {
    lines.push('', 'EVENTS');
    for (const e of r.events) lines.push(`  ${e.type} ${e.reason}: ${e.message}`);
  }
  lines.push('', 'RECOMMENDATIONS KEPT');
  for (const x of history.recommendations ?? []) lines.push(`  ${formatRfc3339(x.timestamp)}  ${x.replicas}`);
  return `${lines.join('\n')}\n`;
}
