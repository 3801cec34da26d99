/**
 * Every default of kubesim, in one frozen object: the scenario loader fills gaps from it,
 * `--help` and the README quote it, and `run.json` records it. Times in seconds, CPU in
 * millicores, memory in bytes. Each model cost names the measurement it was calibrated from.
 */
import type { DistributionSpec } from '../core/distributions.js';
import { DEFAULT_SERVICE_CIDR } from '../api/service-ip-range.js';
import { KUBE_PROXY_DEFAULTS } from '../network/kube-proxy-config.js';
import { CLIENT_DEFAULTS } from './load-schema.js';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export const DEFAULTS = deepFreeze({
  scenario: {
    seed: 1,
    duration: 600,
    sampleInterval: 5,
    podCIDR: '10.244.0.0/16',
    /** kube-apiserver --service-cluster-ip-range as kubeadm sets it (networking.serviceSubnet). */
    serviceCIDR: DEFAULT_SERVICE_CIDR,
  },
  node: {
    role: 'worker' as const,
    /** A small VM, like the book lab's workers. */
    capacity: { cpuMilli: 2000, memoryBytes: 4 * 1024 ** 3, pods: 110 },
    /** kubelet --max-pods default. */
    maxPods: 110,
  },
  apiServer: {
    /**
     * Time from a client's write to its commit in etcd. Kubernetes' API call latency SLO allows
     * p99 <= 1 s for mutating calls on a single object (sig-scalability/slos/api_call_latency.md);
     * a small healthy cluster answers in ~10 ms.
     */
    writeLatency: 0.01,
    /** Time from commit to a watcher's informer seeing the change (same order as a write). */
    watchDelay: 0.005,
  },
  scheduler: {
    /**
     * One scheduling cycle plus the bind call. kube-scheduler's own density tests schedule
     * ~100 pods/s at 5,000 nodes, i.e. ~10 ms per pod (test/integration/scheduler_perf).
     */
    cycleLatency: 0.01,
  },
  kubelet: {
    /**
     * Image pull on a node that does not have the image yet. A ~100 MB image over a 1 Gbit/s
     * link with registry round trips takes a few seconds.
     */
    imagePull: { dist: 'lognormal', mu: Math.log(2.5), sigma: 0.35 } as DistributionSpec,
    /**
     * imagePullPolicy Always with the image already on the node: the kubelet still asks the
     * registry for the manifest, finds the digest it has, and pulls no layers: one round trip.
     */
    registryCheck: 0.3,
    /**
     * Sandbox + container start after the image is present. The pod start-up SLO is p99 <= 5 s
     * excluding image pull (sig-scalability/slos/pod_startup_latency.md); typical ~1 s.
     */
    containerStart: { dist: 'lognormal', mu: Math.log(0.9), sigma: 0.4 } as DistributionSpec,
    /** terminationGracePeriodSeconds default (k8s.io/api/core/v1 PodSpec). */
    terminationGracePeriodSeconds: 30,
    /** KubeletConfiguration nodeLeaseDurationSeconds; the lease is renewed every quarter of it (10 s). */
    nodeLeaseDurationSeconds: 40,
    nodeLeaseRenewIntervalFraction: 0.25,
    /**
     * Container restart back-off (CrashLoopBackOff): 10 s doubling to 5 min, reset once a
     * container ran 10 min (pkg/kubelet/kubelet.go backOffPeriod and MaxContainerBackOff;
     * client-go flowcontrol.Backoff resets after 2 x max). See engine/node/backoff.ts.
     */
    crashLoopBackOffInitial: 10,
    crashLoopBackOffMax: 300,
    /** Pod annotation: mean time to crash of the app container (a duration; exponential, redrawn at every start). */
    meanTimeToCrashAnnotation: 'serving.kubesim.dev/mean-time-to-crash',
  },
  serving: {
    /** Concurrent requests one pod serves (worker threads/processes); override with the annotation below. */
    workers: 8,
    /** Requests a pod queues beyond its workers before refusing (connection refused / 503). */
    queueCapacity: 100,
    workersAnnotation: 'serving.kubesim.dev/workers',
    queueCapacityAnnotation: 'serving.kubesim.dev/queue-capacity',
    /**
     * CPU a request burns while a worker serves it, millicores: 1000 = one core per request in
     * service, so the service time is CPU time (a CPU-bound handler such as the php-apache of
     * the kubernetes.io HPA walkthrough). A handler that mostly waits on I/O sets less.
     */
    cpuPerRequestMilli: 1000,
    /** CPU the app uses with no request in service, millicores (runtime, timers, GC). */
    cpuIdleMilli: 0,
    cpuPerRequestAnnotation: 'serving.kubesim.dev/cpu-per-request',
    cpuIdleAnnotation: 'serving.kubesim.dev/cpu-idle',
  },
  nodeLifecycle: {
    /** kube-controller-manager --node-monitor-period. */
    nodeMonitorPeriod: 5,
    /**
     * --node-monitor-grace-period: 50 s since Kubernetes 1.32 (kubernetes/kubernetes#126287,
     * 40 s before).
     */
    nodeMonitorGracePeriod: 50,
    /** --node-startup-grace-period. */
    nodeStartupGracePeriod: 60,
  },
  /** kube-proxy's mode, sync periods and model costs (engine/network/kube-proxy-config.ts, cited there). */
  kubeProxy: KUBE_PROXY_DEFAULTS,
  network: {
    /** One-way latency of one hop inside a datacenter network (client to node, node to node). */
    hopLatency: 0.0002,
  },
  load: {
    /** Client-side timeout; a request unanswered by then counts as failed (reason timeout). */
    timeout: 30,
    /** Client source IPs and requests per connection (engine/scenario/load-schema.ts). */
    clients: CLIENT_DEFAULTS,
  },
  service: {
    /** --service-node-port-range default of kube-apiserver. */
    nodePortRange: [30000, 32767] as const,
  },
  /**
   * The HPA controller's kube-controller-manager flags, under their real names, with the
   * upstream defaults (pkg/controller/podautoscaler/config/v1alpha1/defaults.go
   * RecommendedDefaultHPAControllerConfiguration). Times in seconds.
   */
  hpa: {
    /** --horizontal-pod-autoscaler-sync-period */
    syncPeriod: 15,
    /** --horizontal-pod-autoscaler-tolerance */
    tolerance: 0.1,
    /** --horizontal-pod-autoscaler-cpu-initialization-period */
    cpuInitializationPeriod: 300,
    /** --horizontal-pod-autoscaler-initial-readiness-delay */
    initialReadinessDelay: 30,
    /** --horizontal-pod-autoscaler-downscale-stabilization */
    downscaleStabilization: 300,
  },
  /** The resource metrics pipeline the HPA reads (engine/metrics/cadvisor.ts, metrics-server.ts). */
  metrics: {
    /**
     * cAdvisor's housekeeping interval inside the kubelet: container stats are sampled every
     * 10 s (pkg/kubelet/cadvisor/cadvisor_linux.go defaultHousekeepingInterval; cAdvisor's
     * jitter and dynamic housekeeping up to 15 s are not modelled).
     */
    housekeepingInterval: 10,
    /**
     * metrics-server --metric-resolution: the scrape period. 15 s in the upstream manifests
     * (kubernetes-sigs/metrics-server manifests/base/deployment.yaml); the binary's own
     * default is 60 s.
     */
    metricResolution: 15,
    /** The Pods metric (custom.metrics.k8s.io) served from the traffic model: requests answered per second per pod. */
    requestsPerSecondMetric: 'http_requests_per_second',
    /**
     * spec.metrics.scrapeInterval: how often Prometheus scrapes the gauges behind the scenario's
     * Object and External metrics (served by prometheus-adapter). 30 s: the Prometheus Operator's
     * default scrapeInterval (monitoring.coreos.com/v1 PrometheusSpec), kept by kube-prometheus-stack.
     */
    adapterScrapeInterval: 30,
  },
});

export type Defaults = typeof DEFAULTS;
