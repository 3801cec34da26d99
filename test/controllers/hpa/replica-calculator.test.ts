/**
 * Cases transcribed from upstream pkg/controller/podautoscaler/replica_calculator_test.go
 * (each test names its upstream function). The harness mirrors upstream's: pods
 * `test-pod-<i>` with two containers each requesting the pod's request, metric levels per
 * container, a Ready condition whose lastTransitionTime is Go's zero time, start times
 * "hot" (now) or "cool" (now - 3m) or zero, samples timestamped at the zero time with a 1m
 * window; tolerance 0.1, CPU initialization period 2m, initial readiness delay 10s
 * (defaultTesting* constants).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  calcPlainMetricReplicas,
  getExternalMetricReplicas,
  getExternalPerPodMetricReplicas,
  getObjectMetricReplicas,
  getObjectPerPodMetricReplicas,
  getResourceReplicas,
  type CalculatorParams,
  type PodMetricsInfo,
} from '../../../engine/controllers/hpa/replica-calculator.js';
import { ZERO_TIME } from '../../../engine/controllers/hpa/rfc3339.js';
import type { PodSample } from '../../../engine/controllers/hpa/types.js';

const NOW = 1_767_225_600; // 2026-01-01T00:00:00Z
const HOT = NOW;
const COOL = NOW - 180;
const TOL = { scaleUp: 0.1, scaleDown: 0.1 };
const PARAMS: CalculatorParams = { now: NOW, cpuInitializationPeriod: 120, initialReadinessDelay: 10 };

interface Case {
  currentReplicas: number;
  readiness?: ('True' | 'False')[];
  startTime?: number[];
  phase?: PodSample['phase'][];
  deleting?: boolean[];
  requests?: string[];
}

function pods(c: Case): PodSample[] {
  const n = Math.max(c.currentReplicas, c.phase?.length ?? 0);
  return Array.from({ length: n }, (_, i) => {
    const request = c.requests?.[i];
    const requests = request === undefined ? undefined : { cpu: request };
    return {
      name: `test-pod-${i}`,
      phase: c.phase?.[i] ?? 'Running',
      deleting: c.deleting?.[i] ?? false,
      ready: { status: c.readiness?.[i] ?? 'True', lastTransitionTime: ZERO_TIME },
      startTime: c.startTime?.[i] ?? ZERO_TIME,
      containers: [
        { name: 'container1', ...(requests ? { requests } : {}) },
        { name: 'container2', ...(requests ? { requests } : {}) },
      ],
    };
  });
}

/** makePodMetricLevels: both containers at the level; or explicit per-container levels. */
function cpuMetrics(levels: (number | number[])[], container = '', names?: string[]): PodMetricsInfo {
  const m: PodMetricsInfo = new Map();
  levels.forEach((l, i) => {
    const per = Array.isArray(l) ? l : [l, l];
    const value = container === '' ? per.reduce((a, b) => a + b, 0) : container === 'container1' ? per[0]! : per[1];
    if (value === undefined) return;
    m.set(names?.[i] ?? `test-pod-${i}`, { value, timestamp: ZERO_TIME, window: 60 });
  });
  return m;
}

function plain(levels: number[]): PodMetricsInfo {
  return new Map(levels.map((v, i) => [`test-pod-${i}`, { value: v, timestamp: ZERO_TIME, window: 60 }]));
}

const ones = (n: number) => Array.from({ length: n }, () => '1.0');

function resource(c: Case, levels: (number | number[])[], target: number, container = '') {
  return getResourceReplicas(c.currentReplicas, target, 'cpu', TOL, pods({ requests: ones(Math.max(c.currentReplicas, c.phase?.length ?? 0)), ...c }), cpuMetrics(levels, container), container, PARAMS);
}

test('TestReplicaCalcScaleUp', () => {
  assert.deepEqual(resource({ currentReplicas: 3 }, [300, 500, 700], 30), { replicas: 5, utilization: 50, rawUtilization: 1000 });
});

test('TestReplicaCalcContainerScaleUp', () => {
  assert.deepEqual(resource({ currentReplicas: 3 }, [[1000, 300], [1000, 500], [1000, 700]], 30, 'container2'), { replicas: 5, utilization: 50, rawUtilization: 500 });
});

test('TestReplicaCalcScaleUpUnreadyLessScale', () => {
  assert.deepEqual(resource({ currentReplicas: 3, readiness: ['False', 'True', 'True'] }, [300, 500, 700], 30), { replicas: 4, utilization: 60, rawUtilization: 1200 });
});

test('TestReplicaCalcScaleUpHotCpuLessScale', () => {
  assert.deepEqual(resource({ currentReplicas: 3, startTime: [HOT, COOL, COOL] }, [300, 500, 700], 30), { replicas: 4, utilization: 60, rawUtilization: 1200 });
});

test('TestReplicaCalcScaleUpUnreadyNoScale', () => {
  assert.deepEqual(resource({ currentReplicas: 3, readiness: ['True', 'False', 'False'] }, [400, 500, 700], 30), { replicas: 3, utilization: 40, rawUtilization: 800 });
});

test('TestReplicaCalcScaleHotCpuNoScale', () => {
  const c: Case = { currentReplicas: 3, readiness: ['True', 'False', 'False'], startTime: [COOL, HOT, HOT] };
  assert.deepEqual(resource(c, [400, 500, 700], 30), { replicas: 3, utilization: 40, rawUtilization: 800 });
});

test('TestReplicaCalcScaleUpIgnoresFailedPods', () => {
  const c: Case = { currentReplicas: 2, readiness: ['True', 'True', 'False', 'False'], phase: ['Running', 'Running', 'Failed', 'Failed'] };
  assert.deepEqual(resource(c, [500, 700], 30), { replicas: 4, utilization: 60, rawUtilization: 1200 });
});

test('TestReplicaCalcScaleUpIgnoresDeletionPods', () => {
  const c: Case = { currentReplicas: 2, readiness: ['True', 'True', 'False', 'False'], phase: ['Running', 'Running', 'Running', 'Running'], deleting: [false, false, true, true] };
  assert.deepEqual(resource(c, [500, 700], 30), { replicas: 4, utilization: 60, rawUtilization: 1200 });
});

test('TestReplicaCalcScaleDown', () => {
  assert.deepEqual(resource({ currentReplicas: 5 }, [100, 300, 500, 250, 250], 50), { replicas: 3, utilization: 28, rawUtilization: 560 });
});

test('TestReplicaCalcScaleDownExcludeUnreadyPods', () => {
  const c: Case = { currentReplicas: 5, readiness: ['True', 'True', 'True', 'False', 'False'] };
  assert.deepEqual(resource(c, [100, 300, 500, 250, 250], 50), { replicas: 2, utilization: 30, rawUtilization: 600 });
});

test('TestReplicaCalcScaleDownExcludeUnscheduledPods', () => {
  const c: Case = { currentReplicas: 5, readiness: ['True', 'False', 'False', 'False', 'False'], phase: ['Running', 'Pending', 'Pending', 'Pending', 'Pending'] };
  assert.deepEqual(resource(c, [100], 50), { replicas: 1, utilization: 10, rawUtilization: 200 });
});

test('TestReplicaCalcScaleDownIgnoreHotCpuPods', () => {
  const c: Case = { currentReplicas: 5, startTime: [COOL, COOL, COOL, HOT, HOT] };
  assert.deepEqual(resource(c, [100, 300, 500, 250, 250], 50), { replicas: 2, utilization: 30, rawUtilization: 600 });
});

test('TestReplicaCalcScaleDownIgnoresDeletionPods', () => {
  const c: Case = {
    currentReplicas: 5,
    readiness: ['True', 'True', 'True', 'True', 'True', 'False', 'False'],
    phase: ['Running', 'Running', 'Running', 'Running', 'Running', 'Running', 'Running'],
    deleting: [false, false, false, false, false, true, true],
  };
  assert.deepEqual(resource(c, [100, 300, 500, 250, 250], 50), { replicas: 3, utilization: 28, rawUtilization: 560 });
});

test('TestReplicaCalcTolerance', () => {
  const r = getResourceReplicas(3, 100, 'cpu', TOL, pods({ currentReplicas: 3, requests: ['0.9', '1.0', '1.1'] }), cpuMetrics([1010, 1030, 1020]), '', PARAMS);
  assert.deepEqual(r, { replicas: 3, utilization: 102, rawUtilization: 2040 });
});

test('TestReplicaCalcSuperfluousMetrics', () => {
  assert.deepEqual(resource({ currentReplicas: 4 }, [4000, 9500, 3000, 7000, 3200, 2000], 100), { replicas: 24, utilization: 587, rawUtilization: 11750 });
});

test('TestReplicaCalcMissingMetrics', () => {
  assert.deepEqual(resource({ currentReplicas: 4 }, [400, 95], 100), { replicas: 3, utilization: 24, rawUtilization: 495 });
});

test('TestReplicaCalcMissingMetricsNoChangeEq / Gt / Lt', () => {
  assert.deepEqual(resource({ currentReplicas: 2 }, [1000], 100), { replicas: 2, utilization: 100, rawUtilization: 2000 });
  assert.deepEqual(resource({ currentReplicas: 2 }, [1900], 100), { replicas: 2, utilization: 190, rawUtilization: 3800 });
  assert.deepEqual(resource({ currentReplicas: 2 }, [600], 100), { replicas: 2, utilization: 60, rawUtilization: 1200 });
});

test('TestReplicaCalcMissingMetricsUnreadyChange', () => {
  assert.deepEqual(resource({ currentReplicas: 3, readiness: ['False', 'True', 'True'] }, [100, 450], 50), { replicas: 3, utilization: 45, rawUtilization: 900 });
});

test('TestReplicaCalcDisjointResourcesMetrics', () => {
  const metrics = cpuMetrics([100], '', ['an-older-pod-name']);
  assert.throws(() => getResourceReplicas(1, 100, 'cpu', TOL, pods({ currentReplicas: 1, requests: ['1.0'] }), metrics, '', PARAMS), /no metrics returned matched known pods/);
});

test('TestReplicaCalcEmptyCPURequest', () => {
  assert.throws(() => getResourceReplicas(1, 100, 'cpu', TOL, pods({ currentReplicas: 1 }), cpuMetrics([200]), '', PARAMS), /missing request for/);
});

test('TestReplicaCalcScaleUpCM', () => {
  assert.deepEqual(calcPlainMetricReplicas(plain([20000, 10000, 30000]), 3, 15000, TOL, pods({ currentReplicas: 3 }), '', PARAMS), { replicas: 4, usage: 20000 });
});

test('TestReplicaCalcScaleUpCMUnreadyHotCpuNoLessScale', () => {
  const p = pods({ currentReplicas: 3, readiness: ['True', 'True', 'False'], startTime: [COOL, COOL, HOT] });
  assert.deepEqual(calcPlainMetricReplicas(plain([50000, 10000, 30000]), 3, 15000, TOL, p, '', PARAMS), { replicas: 6, usage: 30000 });
});

test('TestReplicaCalcScaleUpCMUnreadyHotCpuScaleWouldScaleDown', () => {
  const p = pods({ currentReplicas: 3, readiness: ['False', 'True', 'False'], startTime: [HOT, COOL, HOT] });
  assert.deepEqual(calcPlainMetricReplicas(plain([50000, 15000, 30000]), 3, 15000, TOL, p, '', PARAMS), { replicas: 7, usage: 31666 });
});

test('TestReplicaCalcScaleDownCM / TestReplicaCalcToleranceCM / TestPlainMetricReplicaCalcMissingMetricsNoChangeEq', () => {
  assert.deepEqual(calcPlainMetricReplicas(plain([12000, 12000, 12000, 12000, 12000]), 5, 20000, TOL, pods({ currentReplicas: 5 }), '', PARAMS), { replicas: 3, usage: 12000 });
  assert.deepEqual(calcPlainMetricReplicas(plain([20000, 21000, 21000]), 3, 20000, TOL, pods({ currentReplicas: 3 }), '', PARAMS), { replicas: 3, usage: 20666 });
  assert.deepEqual(calcPlainMetricReplicas(plain([20000, 19000, 21000]), 5, 20000, TOL, pods({ currentReplicas: 5 }), '', PARAMS), { replicas: 5, usage: 20000 });
});

test('Object metrics: TestReplicaCalcScaleUpCMObject, TestReplicaCalcScaleDownCMObject, TestReplicaCalcToleranceCMObject, TestReplicaCalcScaleUpCMObjectIgnoresUnreadyPods', () => {
  assert.deepEqual(getObjectMetricReplicas(3, 15000, 20000, TOL, pods({ currentReplicas: 3 })), { replicas: 4, usage: 20000 });
  assert.deepEqual(getObjectMetricReplicas(5, 20000, 12000, TOL, pods({ currentReplicas: 5 })), { replicas: 3, usage: 12000 });
  assert.deepEqual(getObjectMetricReplicas(3, 20000, 20666, TOL, pods({ currentReplicas: 3 })), { replicas: 3, usage: 20666 });
  const unready = pods({ currentReplicas: 3, readiness: ['False', 'True', 'False'] });
  assert.deepEqual(getObjectMetricReplicas(3, 10000, 50000, TOL, unready), { replicas: 5, usage: 50000 });
});

test('Object per-pod metrics: TestReplicaCalcScaleUpCMPerPodObject, TestReplicaCalcScaleDownPerPodCMObject, TestReplicaCalcTolerancePerPodCMObject', () => {
  assert.deepEqual(getObjectPerPodMetricReplicas(3, 5000, 20000, TOL), { replicas: 4, usage: 6667 });
  assert.deepEqual(getObjectPerPodMetricReplicas(5, 2000, 6000, TOL), { replicas: 3, usage: 1200 });
  assert.deepEqual(getObjectPerPodMetricReplicas(4, 5000, 20166, TOL), { replicas: 4, usage: 5042 });
});

test('External metrics: TestReplicaCalcScaleUpCMExternalIgnoresUnreadyPods, TestReplicaCalcScaleDownCMExternal, TestReplicaCalcToleranceCMExternal', () => {
  assert.deepEqual(getExternalMetricReplicas(3, 4400, [8600], TOL, pods({ currentReplicas: 3, readiness: ['False', 'True', 'False'] })), { replicas: 2, usage: 8600 });
  assert.deepEqual(getExternalMetricReplicas(5, 14334, [8600], TOL, pods({ currentReplicas: 5 })), { replicas: 3, usage: 8600 });
  assert.deepEqual(getExternalMetricReplicas(3, 8888, [8600], TOL, pods({ currentReplicas: 3 })), { replicas: 3, usage: 8600 });
});

test('External per-pod metrics: TestReplicaCalcScaleUpPerPodCMExternal, TestReplicaCalcScaleDownPerPodCMExternal, TestReplicaCalcTolerancePerPodCMExternal', () => {
  assert.deepEqual(getExternalPerPodMetricReplicas(3, 2150, [8600], TOL), { replicas: 4, usage: 2867 });
  assert.deepEqual(getExternalPerPodMetricReplicas(5, 2867, [8600], TOL), { replicas: 3, usage: 1720 });
  assert.deepEqual(getExternalPerPodMetricReplicas(3, 2900, [8600], TOL), { replicas: 3, usage: 2867 });
});
