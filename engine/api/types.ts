/**
 * Kubernetes object shapes used by the simulator.
 *
 * These are the real API shapes (field names as in k8s.io/api), trimmed to the fields the
 * simulator reads. Quantities stay strings here, exactly as in a manifest; the engine parses
 * them once (engine/api/quantity.ts) into millicores and bytes when an object enters the store.
 * Fields a manifest carries that the simulator does not model are kept, untouched, so that a
 * pasted manifest round-trips.
 */

export type Labels = Record<string, string>;

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Labels;
  annotations?: Record<string, string>;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  /** Simulated seconds since the start of the run (not an RFC 3339 string inside the engine). */
  creationTimestamp?: number;
  deletionTimestamp?: number;
  ownerReferences?: OwnerReference[];
  generateName?: string;
  [extra: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  /** Set by controllers (metav1.NewControllerRef): foreground deletion of the owner waits for this dependent. */
  blockOwnerDeletion?: boolean;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface ResourceList {
  cpu?: string | number;
  memory?: string | number;
  pods?: string | number;
  [name: string]: string | number | undefined;
}

export interface ContainerPort {
  containerPort: number;
  name?: string;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  hostPort?: number;
}

export interface Container {
  name: string;
  image: string;
  ports?: ContainerPort[];
  resources?: { requests?: ResourceList; limits?: ResourceList };
  [extra: string]: unknown;
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: TaintEffect;
  tolerationSeconds?: number;
}

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface Taint {
  key: string;
  value?: string;
  effect: TaintEffect;
  /** When a NoExecute taint was added (simulated seconds): toleration seconds count from here. */
  timeAdded?: number;
}

export interface PodSpec {
  containers: Container[];
  nodeName?: string;
  nodeSelector?: Labels;
  tolerations?: Toleration[];
  schedulerName?: string;
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  terminationGracePeriodSeconds?: number;
  priority?: number;
  priorityClassName?: string;
  [extra: string]: unknown;
}

export interface PodTemplateSpec {
  metadata?: Partial<ObjectMeta>;
  spec: PodSpec;
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

export interface PodCondition {
  type: 'PodScheduled' | 'Initialized' | 'ContainersReady' | 'Ready';
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: number;
  reason?: string;
}

/** One container's state as the kubelet reports it (k8s.io/api core/v1 ContainerState). */
export interface ContainerState {
  running?: { startedAt: number };
  waiting?: { reason: string; message?: string };
  terminated?: { exitCode: number; reason: string; startedAt?: number; finishedAt: number };
}

export interface ContainerStatus {
  name: string;
  image: string;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  state: ContainerState;
  lastState?: ContainerState;
}

export interface PodStatus {
  phase: PodPhase;
  conditions?: PodCondition[];
  podIP?: string;
  hostIP?: string;
  startTime?: number;
  containerStatuses?: ContainerStatus[];
}

export interface Pod {
  apiVersion: 'v1';
  kind: 'Pod';
  metadata: ObjectMeta;
  spec: PodSpec;
  status?: PodStatus;
}

export interface DeploymentSpec {
  replicas?: number;
  selector: LabelSelector;
  template: PodTemplateSpec;
  strategy?: {
    type?: 'RollingUpdate' | 'Recreate';
    rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string };
  };
  revisionHistoryLimit?: number;
  minReadySeconds?: number;
  [extra: string]: unknown;
}

export interface Deployment {
  apiVersion: 'apps/v1';
  kind: 'Deployment';
  metadata: ObjectMeta;
  spec: DeploymentSpec;
  status?: {
    observedGeneration?: number;
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    updatedReplicas?: number;
    unavailableReplicas?: number;
  };
}

export interface ReplicaSet {
  apiVersion: 'apps/v1';
  kind: 'ReplicaSet';
  metadata: ObjectMeta;
  spec: { replicas?: number; selector: LabelSelector; template: PodTemplateSpec; minReadySeconds?: number };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number; observedGeneration?: number };
}

export interface ServicePort {
  name?: string;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  port: number;
  targetPort?: number | string;
  nodePort?: number;
}

/** One entry of status.loadBalancer.ingress: the address a load-balancer implementation gave the Service. */
export interface LoadBalancerIngress {
  ip?: string;
  hostname?: string;
  /** KEP-1860: VIP (traffic arrives with the LB address as destination), defaulted by the apiserver when ip is set. */
  ipMode?: 'VIP' | 'Proxy';
}

export type IPFamily = 'IPv4' | 'IPv6';
export type IPFamilyPolicy = 'SingleStack' | 'PreferDualStack' | 'RequireDualStack';

export interface Service {
  apiVersion: 'v1';
  kind: 'Service';
  metadata: ObjectMeta;
  spec: {
    type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
    selector?: Labels;
    ports: ServicePort[];
    /** Allocated by the API server from the service CIDR at creation (engine/api/service-alloc.ts); `None`: headless. */
    clusterIP?: string;
    clusterIPs?: string[];
    ipFamilies?: IPFamily[];
    ipFamilyPolicy?: IPFamilyPolicy;
    externalIPs?: string[];
    externalName?: string;
    externalTrafficPolicy?: 'Cluster' | 'Local';
    /** LoadBalancer + externalTrafficPolicy Local: the node port where kube-proxy answers the load balancer's health checks. */
    healthCheckNodePort?: number;
    internalTrafficPolicy?: 'Cluster' | 'Local';
    sessionAffinity?: 'None' | 'ClientIP';
    [extra: string]: unknown;
  };
  /** Written by whoever implements the LoadBalancer (the cloud's service controller, MetalLB's controller). */
  status?: { loadBalancer?: { ingress?: LoadBalancerIngress[] } };
}

export interface Namespace {
  apiVersion: 'v1';
  kind: 'Namespace';
  metadata: ObjectMeta;
}

export interface ConfigMap {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: ObjectMeta;
  data?: Record<string, string>;
}

export interface NodeSpecFields {
  unschedulable?: boolean;
  taints?: Taint[];
  podCIDR?: string;
}

export interface Node {
  apiVersion: 'v1';
  kind: 'Node';
  metadata: ObjectMeta;
  spec: NodeSpecFields;
  status: {
    capacity: ResourceList;
    allocatable: ResourceList;
    addresses: { type: 'InternalIP' | 'Hostname'; address: string }[];
    conditions?: { type: 'Ready'; status: 'True' | 'False' | 'Unknown'; lastHeartbeatTime?: number; lastTransitionTime?: number; reason?: string; message?: string }[];
  };
}

/** autoscaling/v2 HorizontalPodAutoscaler: its shape lives with the HPA modules. */
export type { HorizontalPodAutoscaler } from '../controllers/hpa/types.js';
import type { HorizontalPodAutoscaler } from '../controllers/hpa/types.js';

/** apps/v1 DaemonSet, StatefulSet; v1 PersistentVolume(Claim), storage.k8s.io/v1 StorageClass: their own modules. */
export type { DaemonSet, StatefulSet } from './workload-types.js';
export type { PersistentVolume, PersistentVolumeAccessMode, PersistentVolumeClaim, PersistentVolumeClaimSpec, StorageClass } from './storage-types.js';
export type { NodeSelector, NodeSelectorRequirement, NodeSelectorTerm } from './node-selector.js';
import type { DaemonSet, StatefulSet } from './workload-types.js';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from './storage-types.js';
/** policy/v1 PodDisruptionBudget: its own module. */
export type { PodDisruptionBudget, PodDisruptionBudgetStatus } from './policy-types.js';
import type { PodDisruptionBudget } from './policy-types.js';

/** Every object kind a scenario's `manifests` may hold in this version. */
export type KubeObject =
  | Pod
  | Deployment
  | ReplicaSet
  | Service
  | Namespace
  | ConfigMap
  | HorizontalPodAutoscaler
  | DaemonSet
  | StatefulSet
  | PersistentVolume
  | PersistentVolumeClaim
  | StorageClass
  | PriorityClass
  | IPAddressPool
  | L2Advertisement
  | BGPAdvertisement
  | BGPPeer
  | BFDProfile
  | Ingress
  | IngressClass
  | PodDisruptionBudget;

/** `apiVersion` accepted for each kind, as `kubectl apply` accepts them. */
export const SUPPORTED_KINDS: Readonly<Record<KubeObject['kind'], string>> = Object.freeze({
  Pod: 'v1',
  Service: 'v1',
  Namespace: 'v1',
  ConfigMap: 'v1',
  Deployment: 'apps/v1',
  ReplicaSet: 'apps/v1',
  HorizontalPodAutoscaler: 'autoscaling/v2',
  DaemonSet: 'apps/v1',
  StatefulSet: 'apps/v1',
  PersistentVolume: 'v1',
  PersistentVolumeClaim: 'v1',
  StorageClass: 'storage.k8s.io/v1',
  PriorityClass: 'scheduling.k8s.io/v1',
  IPAddressPool: 'metallb.io/v1beta1',
  L2Advertisement: 'metallb.io/v1beta1',
  BGPAdvertisement: 'metallb.io/v1beta1',
  BGPPeer: 'metallb.io/v1beta2',
  BFDProfile: 'metallb.io/v1beta1',
  Ingress: 'networking.k8s.io/v1',
  IngressClass: 'networking.k8s.io/v1',
  PodDisruptionBudget: 'policy/v1',
});

/** metallb.io/v1beta1 IPAddressPool: addresses MetalLB's controller assigns to LoadBalancer Services. */
export interface IPAddressPool {
  apiVersion: 'metallb.io/v1beta1';
  kind: 'IPAddressPool';
  metadata: ObjectMeta;
  /** `addresses`: CIDRs (192.168.1.240/28) or ranges (192.168.1.240-192.168.1.250); `autoAssign` default true; `avoidBuggyIPs` (no .0/.255) default false. */
  spec: { addresses: string[]; autoAssign?: boolean; avoidBuggyIPs?: boolean; [extra: string]: unknown };
}

/** metallb.io/v1beta1 L2Advertisement: which pools are announced by ARP, from which nodes. */
export interface L2Advertisement {
  apiVersion: 'metallb.io/v1beta1';
  kind: 'L2Advertisement';
  metadata: ObjectMeta;
  /** No `ipAddressPools`: every pool; no `nodeSelectors`: every node. */
  spec?: { ipAddressPools?: string[]; nodeSelectors?: { matchLabels?: Labels }[]; [extra: string]: unknown };
}

/** metallb.io/v1beta1 BGPAdvertisement: which pools are announced over BGP, from which nodes. */
export interface BGPAdvertisement {
  apiVersion: 'metallb.io/v1beta1';
  kind: 'BGPAdvertisement';
  metadata: ObjectMeta;
  /** No `ipAddressPools`: every pool; no `nodeSelectors`: every node. */
  spec?: { ipAddressPools?: string[]; nodeSelectors?: { matchLabels?: Labels }[]; [extra: string]: unknown };
}

/** metallb.io/v1beta2 BGPPeer: the router the speakers peer with; `holdTime`/`keepaliveTime` in seconds (Go durations; default 90s/30s); `bfdProfile` names a BFDProfile. */
export interface BGPPeer {
  apiVersion: 'metallb.io/v1beta2';
  kind: 'BGPPeer';
  metadata: ObjectMeta;
  spec: { myASN: number; peerASN: number; peerAddress: string; holdTime?: number; keepaliveTime?: number; bfdProfile?: string; [extra: string]: unknown };
}

/** metallb.io/v1beta1 BFDProfile: the speakers' BFD session settings; intervals in milliseconds, as in the CRD. */
export interface BFDProfile {
  apiVersion: 'metallb.io/v1beta1';
  kind: 'BFDProfile';
  metadata: ObjectMeta;
  spec?: {
    receiveInterval?: number;
    transmitInterval?: number;
    detectMultiplier?: number;
    echoInterval?: number;
    echoMode?: boolean;
    passiveMode?: boolean;
    minimumTtl?: number;
    [extra: string]: unknown;
  };
}

/** scheduling.k8s.io/v1 PriorityClass: the priority a pod's priorityClassName stands for. */
export interface PriorityClass {
  apiVersion: 'scheduling.k8s.io/v1';
  kind: 'PriorityClass';
  metadata: ObjectMeta;
  value: number;
  globalDefault?: boolean;
  preemptionPolicy?: 'PreemptLowerPriority' | 'Never';
  description?: string;
}

export const DEFAULT_NAMESPACE = 'default';

/** discovery.k8s.io/v1 EndpointSlice, written by the endpointslice controller only. */
export interface EndpointSlice {
  apiVersion: 'discovery.k8s.io/v1';
  kind: 'EndpointSlice';
  metadata: ObjectMeta;
  addressType: 'IPv4';
  endpoints: {
    addresses: string[];
    conditions: { ready: boolean; serving: boolean; terminating: boolean };
    nodeName?: string;
    targetRef?: { kind: 'Pod'; namespace: string; name: string; uid: string };
  }[];
  ports: { name?: string; port: number; protocol: 'TCP' | 'UDP' | 'SCTP' }[];
}

/** Where kubelets keep their heartbeat Leases. */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

/** coordination.k8s.io/v1 Lease: a kubelet's heartbeat (kube-node-lease namespace, one per node). */
export interface Lease {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  metadata: ObjectMeta;
  spec: { holderIdentity: string; leaseDurationSeconds: number; renewTime: number };
}

/** Everything the API server stores. */
export type StoredObject = KubeObject | Node | EndpointSlice | Lease;
export type Kind = StoredObject['kind'];
export type ObjectOfKind<K extends Kind> = Extract<StoredObject, { kind: K }>;

/** networking.k8s.io/v1 Ingress: HTTP routes by host and path to Service ports (the fields kubesim reads). */
export interface Ingress {
  apiVersion: 'networking.k8s.io/v1';
  kind: 'Ingress';
  metadata: ObjectMeta;
  spec: {
    ingressClassName?: string;
    rules?: {
      host?: string;
      http?: { paths: { path?: string; pathType: 'Exact' | 'Prefix' | 'ImplementationSpecific'; backend: { service: { name: string; port: { number?: number; name?: string } } } }[] };
    }[];
  };
}

/** networking.k8s.io/v1 IngressClass: which controller implements the Ingresses of a class (`k8s.io/ingress-nginx`). */
export interface IngressClass {
  apiVersion: 'networking.k8s.io/v1';
  kind: 'IngressClass';
  metadata: ObjectMeta;
  spec: { controller?: string };
}
