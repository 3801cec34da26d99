/**
 * The scenario after loading: validated, defaults applied, node pools expanded, manifests read
 * from their files, durations in seconds, quantities still as Kubernetes strings inside manifests
 * (the engine parses those when objects enter the store). Everything the engine needs to run is
 * here; nothing here is I/O.
 */
import type { DistributionSpec } from '../core/distributions.js';
import type { KubeObject, Labels, Taint } from '../api/types.js';
import type { TimelineCommand } from '../timeline/command.js';
import type { SchedulerConfig } from '../scheduler/config.js';
import type { ArrivalSpec, ClientSpec } from '../workload/arrival-spec.js';
import type { KubeProxyConfig } from '../network/kube-proxy-config.js';
import type { HealthCheckSettings } from '../network/cloud-load-balancer.js';
import type { RouterBfd } from '../network/bfd.js';
import type { ScenarioMetrics } from '../controllers/hpa/scenario-metrics.js';

export const SCENARIO_API_VERSION = 'kubesim.dev/v1alpha1';

export interface ScenarioNode {
  name: string;
  ip: string;
  role: 'control-plane' | 'worker';
  /** Quantities parsed: millicores, bytes, pod count. */
  capacity: { cpuMilli: number; memoryBytes: number; pods: number };
  labels: Labels;
  taints: Taint[];
  unschedulable: boolean;
}

export type { ArrivalSpec, ClientSpec } from '../workload/arrival-spec.js';

export interface LoadSpec {
  name: string;
  target: {
    service: string;
    namespace: string;
    via: 'NodePort' | 'ClusterIP' | 'LoadBalancer';
    /** Service port number; defaults to the Service's first port. */
    port?: number;
    /** NodePort: node names the client sends to, round robin; default every node. */
    nodes?: string[];
    /** NodePort: how the client picks a node per connection (default roundRobin). */
    nodeSelection: 'roundRobin' | 'random';
    /** LoadBalancer: overrides of the cloud LB's health check defaults (engine/network/cloud-load-balancer.ts). */
    healthCheck?: Partial<HealthCheckSettings>;
    /** LoadBalancer: a cloud provider's load balancer (default) or MetalLB in L2 mode (bare metal). */
    loadBalancer: 'cloud' | 'metallb';
    /** MetalLB BGP: how the router maps flows to its next hops (default modulo). */
    ecmpHashing: 'modulo' | 'resilient';
    /** MetalLB BGP, resilient hashing: buckets of the router's table (default 64). */
    resilientBuckets: number;
    /** MetalLB BGP: the BGPPeer that is the router (default: the only one). */
    bgpPeer?: string;
    /** MetalLB BGP with BFD: the router's BFD settings (engine/network/bfd.ts). */
    routerBfd?: RouterBfd;
    /** HTTP through an ingress controller behind `service` (engine/network/ingress-controller.ts). */
    ingress?: { host: string; path: string; className: string; controllerServiceTime: number };
  };
  arrivals: ArrivalSpec;
  clients: ClientSpec;
  /** Seconds of work a request needs from one worker of the serving pod. */
  serviceTime: DistributionSpec;
  /** Client gives up after this many seconds (counted as a failed request). */
  timeout: number;
  /** When the load starts and stops, seconds from the start of the run. */
  start: number;
  stop: number;
}

export interface TimelineEntry {
  /** Seconds from the start of the run. */
  at: number;
  /** The command as written, kept for events and error messages. */
  run: string;
  command: TimelineCommand;
}

/** spec.controllerManager: the HPA flags of kube-controller-manager that are set (seconds; others from DEFAULTS.hpa). */
export interface ControllerManagerFlags {
  syncPeriod?: number;
  tolerance?: number;
  cpuInitializationPeriod?: number;
  initialReadinessDelay?: number;
  downscaleStabilization?: number;
}

/** spec.metricsServer: metrics-server flags that are set (others from DEFAULTS.metrics). */
export interface MetricsServerFlags {
  metricResolution?: number;
}

export interface Scenario {
  name: string;
  description: string;
  seed: number;
  duration: number;
  sampleInterval: number;
  /** serviceCIDR: kube-apiserver --service-cluster-ip-range, host bits cleared. */
  cluster: { podCIDR: string; serviceCIDR: string; nodes: ScenarioNode[] };
  manifests: KubeObject[];
  load: LoadSpec[];
  timeline: TimelineEntry[];
  /** spec.scheduler: the KubeSchedulerConfiguration in force (the default profile when absent). */
  scheduler?: SchedulerConfig;
  /** spec.controllerManager: kube-controller-manager flags (absent: all defaults). */
  controllerManager?: ControllerManagerFlags;
  /** spec.metricsServer: metrics-server flags (absent: all defaults). */
  metricsServer?: MetricsServerFlags;
  /** spec.kubeProxy: kube-proxy's mode, sync periods and costs (absent: all defaults). */
  kubeProxy?: KubeProxyConfig;
  /** spec.metrics: Object and External metrics the HPA can read (engine/controllers/hpa/scenario-metrics.ts). */
  metrics?: ScenarioMetrics;
}
