/**
 * What kubesim checks inside a Kubernetes manifest: the fields the engine reads, with the
 * apiserver's rules and defaults (namespace `default`, replicas 1, Service type ClusterIP,
 * targetPort = port). Every other field passes through untouched, so real manifests paste in.
 * Cross-object rules (duplicates, namespaces, nodePorts, selectors) live in manifests.ts.
 *
 * This file maps each supported kind to its schema; the schemas live in manifest-schema/, one
 * file per kind or shared piece (metadata, selectors, pod template, workload rules).
 */
import { SUPPORTED_KINDS, type KubeObject } from '../api/types.js';
import { map, str, union, type Schema } from './schema.js';
import { daemonSetSpec } from './manifest-schema/daemonset.js';
import { workloadSpec } from './manifest-schema/deployment.js';
import { hpaSpec } from './manifest-schema/hpa.js';
import { ingressClassSpec, ingressSpec } from './manifest-schema/ingress.js';
import { kindShape } from './manifest-schema/metadata.js';
import { advertisementSpec, bfdProfileSpec, bgpPeerSpec, ipAddressPoolSpec } from './manifest-schema/metallb.js';
import { claimSpec, volumeSpec } from './manifest-schema/persistentvolume.js';
import { podSpec } from './manifest-schema/pod.js';
import { podDisruptionBudgetSpec } from './manifest-schema/poddisruptionbudget.js';
import { priorityClass } from './manifest-schema/priorityclass.js';
import { serviceSpec } from './manifest-schema/service.js';
import { statefulSetSpec } from './manifest-schema/statefulset.js';
import { storageClass } from './manifest-schema/storageclass.js';

const SUPPORTED = `one of the supported kinds (${Object.keys(SUPPORTED_KINDS).join(', ')})`;

/** One Kubernetes object, validated and defaulted; unknown fields kept as written. */
export const manifestSchema: Schema<KubeObject> = union(
  'kind',
  {
    Pod: kindShape('Pod', { spec: podSpec }),
    Service: kindShape('Service', { spec: serviceSpec }),
    Namespace: kindShape('Namespace', {}),
    ConfigMap: kindShape('ConfigMap', { data: map(str()) }),
    Deployment: kindShape('Deployment', { spec: workloadSpec }),
    ReplicaSet: kindShape('ReplicaSet', { spec: workloadSpec }),
    HorizontalPodAutoscaler: kindShape('HorizontalPodAutoscaler', { spec: hpaSpec }),
    DaemonSet: kindShape('DaemonSet', { spec: daemonSetSpec }),
    StatefulSet: kindShape('StatefulSet', { spec: statefulSetSpec }),
    PersistentVolume: kindShape('PersistentVolume', { spec: volumeSpec }),
    PersistentVolumeClaim: kindShape('PersistentVolumeClaim', { spec: claimSpec }),
    PriorityClass: priorityClass,
    IPAddressPool: kindShape('IPAddressPool', { spec: ipAddressPoolSpec }),
    L2Advertisement: kindShape('L2Advertisement', { spec: advertisementSpec() }),
    BGPAdvertisement: kindShape('BGPAdvertisement', { spec: advertisementSpec() }),
    BGPPeer: kindShape('BGPPeer', { spec: bgpPeerSpec }),
    BFDProfile: kindShape('BFDProfile', { spec: bfdProfileSpec() }),
    Ingress: kindShape('Ingress', { spec: ingressSpec }),
    IngressClass: kindShape('IngressClass', { spec: ingressClassSpec }),
    StorageClass: storageClass,
    PodDisruptionBudget: kindShape('PodDisruptionBudget', { spec: podDisruptionBudgetSpec }),
  },
  SUPPORTED,
) as unknown as Schema<KubeObject>;
