/**
 * Rules that span several manifests, checked once every object is validated on its own:
 * unique (kind, namespace, name), namespaces that exist, explicit cluster IPs the API server
 * can allocate, nodePorts allocated as the apiserver's allocator would (explicit ones honoured
 * first, then the lowest free port, in manifest order), and no Service whose selector matches
 * no pod at all.
 */
import { formatSelector, matchesMap } from '../api/labels.js';
import type { KubeObject, Labels, PodSpec, Service } from '../api/types.js';
import { DEFAULTS } from './defaults.js';
import { SYSTEM_PRIORITY_CLASSES } from '../api/admission.js';
import { KUBERNETES_SERVICE_NAME, KUBERNETES_SERVICE_NAMESPACE } from '../api/kubernetes-service.js';
import { CLUSTER_IP_NONE, goStringSlice } from '../api/service-alloc.js';
import { ERR_ALLOCATED, ServiceIPRange } from '../api/service-ip-range.js';
import { errors } from './errors.js';
import { at, type Ctx } from './schema.js';

/** A validated object and where it was written (its root path, in its own file). */
export interface PlacedObject {
  object: KubeObject;
  at: Ctx;
}

/** Namespaces every cluster has (kube-apiserver creates them at start-up). */
const BUILT_IN_NAMESPACES: ReadonlySet<string> = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

function path(ctx: Ctx, ...keys: (string | number)[]): Ctx {
  return keys.reduce<Ctx>((c, k) => at(c, k), ctx);
}

export function checkUnique(objects: readonly PlacedObject[]): void {
  const seen = new Set<string>();
  for (const { object, at: where } of objects) {
    const key = `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
    if (seen.has(key)) {
      const c = path(where, 'metadata', 'name');
      const ns = object.metadata.namespace ? ` in namespace ${object.metadata.namespace}` : '';
      throw errors.duplicate(c.file, c.path, `${object.kind} name${ns}`, object.metadata.name);
    }
    seen.add(key);
  }
}

function checkNamespaces(objects: readonly PlacedObject[]): void {
  const declared = objects.filter((o) => o.object.kind === 'Namespace').map((o) => o.object.metadata.name);
  const known = new Set([...BUILT_IN_NAMESPACES, ...declared]);
  for (const { object, at: where } of objects) {
    const ns = object.metadata.namespace;
    if (ns !== undefined && !known.has(ns)) {
      const c = path(where, 'metadata', 'namespace');
      throw errors.unknownReference(c.file, c.path, 'Namespace defined in manifests (or default, kube-system)', ns, declared);
    }
  }
}

/**
 * The apiserver allocates a random free nodePort; kubesim takes the lowest free one so that
 * runs are reproducible from the scenario alone (pkg/registry/core/service/portallocator).
 */
function allocateNodePorts(objects: readonly PlacedObject[]): void {
  const [low, high] = DEFAULTS.service.nodePortRange;
  const services = objects.filter((o): o is PlacedObject & { object: Service } => o.object.kind === 'Service');
  const used = new Set<number>();
  for (const { object, at: where } of services) {
    object.spec.ports.forEach((port, i) => {
      if (port.nodePort === undefined) return;
      if (used.has(port.nodePort)) {
        const c = path(where, 'spec', 'ports', i, 'nodePort');
        throw errors.duplicate(c.file, c.path, 'nodePort across Services', String(port.nodePort));
      }
      used.add(port.nodePort);
    });
    const hc = object.spec.healthCheckNodePort;
    if (typeof hc === 'number') {
      if (used.has(hc)) {
        const c = path(where, 'spec', 'healthCheckNodePort');
        throw errors.duplicate(c.file, c.path, 'nodePort across Services', String(hc));
      }
      used.add(hc);
    }
  }
  let next = low;
  for (const { object, at: where } of services) {
    if (object.spec.type !== 'NodePort' && object.spec.type !== 'LoadBalancer') continue;
    object.spec.ports.forEach((port, i) => {
      if (port.nodePort !== undefined) return;
      while (used.has(next)) next++;
      if (next > high) {
        const c = path(where, 'spec', 'ports', i);
        throw errors.invalidValue(c.file, c.path, `a free nodePort in ${low}-${high}`, 'every port taken');
      }
      port.nodePort = next;
      used.add(next);
    });
    // A LoadBalancer Service with externalTrafficPolicy Local also gets a healthCheckNodePort from the same range, where kube-proxy answers the LB's health checks.
    if (object.spec.type === 'LoadBalancer' && object.spec.externalTrafficPolicy === 'Local' && object.spec.healthCheckNodePort === undefined) {
      while (used.has(next)) next++;
      if (next > high) {
        const c = path(where, 'spec');
        throw errors.invalidValue(c.file, c.path, `a free healthCheckNodePort in ${low}-${high}`, 'every port taken');
      }
      object.spec.healthCheckNodePort = next;
      used.add(next);
    }
  }
}

/**
 * Explicit cluster IPs, as the API server's allocator takes them (engine/api/service-alloc.ts):
 * inside the service CIDR and not held by another Service of the same batch, the first address
 * being the kubernetes Service's. The manifests are created in order at time zero, so a clash
 * there would be refused at once; it is refused here instead, with the apiserver's error.
 * (A dynamic allocation may still take, at random, an address a later manifest asks for: keep
 * static addresses in the lower band of the range, as KEP-3070 advises, and that cannot happen.)
 */
export function checkClusterIPs(objects: readonly PlacedObject[], serviceCIDR: string): void {
  const range = new ServiceIPRange(serviceCIDR);
  const holders = new Map<string, string>([[range.at(0), `the ${KUBERNETES_SERVICE_NAMESPACE}/${KUBERNETES_SERVICE_NAME} Service's (the first address of the range)`]]);
  range.allocate(range.at(0));
  for (const { object, at: where } of objects) {
    if (object.kind !== 'Service' || object.spec.type === 'ExternalName') continue;
    const ip = object.spec.clusterIP || object.spec.clusterIPs?.[0];
    if (!ip || ip === CLUSTER_IP_NONE) continue;
    const refused = range.allocate(ip);
    const name = `${object.metadata.namespace}/${object.metadata.name}`;
    if (refused === undefined) {
      holders.set(ip, `Service ${name}'s`);
      continue;
    }
    const c = object.spec.clusterIP ? path(where, 'spec', 'clusterIP') : path(where, 'spec', 'clusterIPs', 0);
    const upstream = `spec.clusterIPs: Invalid value: ${goStringSlice(object.spec.clusterIPs ?? [ip])}: failed to allocate IP ${ip}: ${refused}`;
    if (refused === ERR_ALLOCATED) throw errors.invalidValue(c.file, c.path, `a cluster IP no other Service has (the apiserver refuses: ${upstream})`, `"${ip}", already ${holders.get(ip)}`);
    throw errors.invalidValue(c.file, c.path, `an address inside the service CIDR ${range.cidr}, spec.cluster.serviceCIDR (the apiserver refuses: ${upstream})`, `"${ip}"`);
  }
}

/** The API server creates default/kubernetes itself (engine/api/kubernetes-service.ts): a manifest may not define it too. */
function checkKubernetesService(objects: readonly PlacedObject[]): void {
  for (const { object, at: where } of objects) {
    if (object.kind !== 'Service' || object.metadata.namespace !== KUBERNETES_SERVICE_NAMESPACE || object.metadata.name !== KUBERNETES_SERVICE_NAME) continue;
    const c = path(where, 'metadata', 'name');
    throw errors.invalidValue(c.file, c.path, `a Service name other than "${KUBERNETES_SERVICE_NAME}" in namespace ${KUBERNETES_SERVICE_NAMESPACE} (the API server creates that Service itself)`, `"${KUBERNETES_SERVICE_NAME}"`);
  }
}

/** Pod labels each namespace can have: bare Pods' labels and Deployment/ReplicaSet/DaemonSet/StatefulSet templates. */
function podLabelsByNamespace(objects: readonly PlacedObject[]): Map<string, Labels[]> {
  const out = new Map<string, Labels[]>();
  for (const { object } of objects) {
    let labels: Labels | undefined;
    if (object.kind === 'Pod') labels = object.metadata.labels;
    else if (object.kind === 'Deployment' || object.kind === 'ReplicaSet' || object.kind === 'DaemonSet' || object.kind === 'StatefulSet') {
      labels = object.spec.template.metadata?.labels;
    }
    if (!labels) continue;
    const ns = object.metadata.namespace!;
    out.set(ns, [...(out.get(ns) ?? []), labels]);
  }
  return out;
}

function checkServiceSelectors(objects: readonly PlacedObject[]): void {
  const podLabels = podLabelsByNamespace(objects);
  for (const { object, at: where } of objects) {
    // A Service without a selector has manually managed endpoints: nothing to check.
    if (object.kind !== 'Service' || !object.spec.selector || Object.keys(object.spec.selector).length === 0) continue;
    const selector = object.spec.selector;
    const ns = object.metadata.namespace!;
    if (!(podLabels.get(ns) ?? []).some((labels) => matchesMap(selector, labels))) {
      const c = path(where, 'spec', 'selector');
      throw errors.invalidValue(
        c.file,
        c.path,
        `a selector matching the pod labels of a Deployment, ReplicaSet, DaemonSet, StatefulSet or Pod in namespace ${ns}`,
        `${formatSelector(selector)}, which selects nothing`,
      );
    }
  }
}

/**
 * A HorizontalPodAutoscaler scales a Deployment or ReplicaSet of its own namespace that the
 * manifests define; two HPAs on one target would fight (upstream reports AmbiguousSelector),
 * which kubesim refuses up front.
 */
function checkHpaTargets(objects: readonly PlacedObject[]): void {
  const targeted = new Set<string>();
  for (const { object, at: where } of objects) {
    if (object.kind !== 'HorizontalPodAutoscaler') continue;
    const ref = object.spec.scaleTargetRef;
    const ns = object.metadata.namespace!;
    const c = path(where, 'spec', 'scaleTargetRef', 'name');
    const known = objects.filter((o) => o.object.kind === ref.kind && o.object.metadata.namespace === ns).map((o) => o.object.metadata.name);
    if (!known.includes(ref.name)) throw errors.unknownReference(c.file, c.path, `${ref.kind} in namespace ${ns}`, ref.name, known);
    const key = `${ref.kind}/${ns}/${ref.name}`;
    if (targeted.has(key)) throw errors.duplicate(c.file, c.path, 'scale target across HorizontalPodAutoscalers', `${ref.kind} ${ref.name}`);
    targeted.add(key);
  }
}

/** The pod spec an object runs: a Pod's own, a workload's template's. */
function podSpecOf(object: KubeObject): PodSpec | undefined {
  switch (object.kind) {
    case 'Pod':
      return object.spec;
    case 'Deployment':
    case 'ReplicaSet':
    case 'DaemonSet':
    case 'StatefulSet':
      return object.spec.template.spec;
    default:
      return undefined;
  }
}

/**
 * PriorityClasses: at most one globalDefault (scheduling validation), and every pod or pod
 * template naming a priorityClassName names a class the manifests define or a system class
 * (else the Priority admission plugin would refuse its pods at run time).
 */
function checkPriorityClasses(objects: readonly PlacedObject[]): void {
  const classes = objects.filter((o) => o.object.kind === 'PriorityClass');
  const defaults = classes.filter((o) => (o.object as { globalDefault?: boolean }).globalDefault === true);
  if (defaults.length > 1) {
    const c = path(defaults[1]!.at, 'globalDefault');
    throw errors.duplicate(c.file, c.path, 'PriorityClass marked globalDefault', defaults[1]!.object.metadata.name);
  }
  const known = [...classes.map((o) => o.object.metadata.name), ...Object.keys(SYSTEM_PRIORITY_CLASSES)];
  for (const { object, at: where } of objects) {
    const spec = podSpecOf(object);
    const name = spec?.priorityClassName;
    if (name === undefined || known.includes(name)) continue;
    const c = object.kind === 'Pod' ? path(where, 'spec', 'priorityClassName') : path(where, 'spec', 'template', 'spec', 'priorityClassName');
    throw errors.unknownReference(c.file, c.path, 'PriorityClass', name, known);
  }
}

/**
 * A BGPPeer's `spec.bfdProfile` names a BFDProfile of its namespace (MetalLB internal/config
 * peersFor: "peer X referencing non existing bfd profile Y"; the speakers would not configure it).
 */
function checkBfdProfiles(objects: readonly PlacedObject[]): void {
  for (const { object, at: where } of objects) {
    if (object.kind !== 'BGPPeer' || object.spec.bfdProfile === undefined) continue;
    const ns = object.metadata.namespace ?? 'default';
    const known = objects.filter((o) => o.object.kind === 'BFDProfile' && (o.object.metadata.namespace ?? 'default') === ns).map((o) => o.object.metadata.name);
    if (known.includes(object.spec.bfdProfile)) continue;
    const c = path(where, 'spec', 'bfdProfile');
    throw errors.unknownReference(c.file, c.path, `BFDProfile in namespace ${ns}`, object.spec.bfdProfile, known);
  }
}

/** Checks the cross-object rules and fills in nodePorts; returns the objects in order. */
export function checkManifests(objects: readonly PlacedObject[], serviceCIDR: string): KubeObject[] {
  checkUnique(objects);
  checkNamespaces(objects);
  checkKubernetesService(objects);
  checkClusterIPs(objects, serviceCIDR);
  allocateNodePorts(objects);
  checkServiceSelectors(objects);
  checkHpaTargets(objects);
  checkPriorityClasses(objects);
  checkBfdProfiles(objects);
  return objects.map((o) => o.object);
}
