/**
 * What kubesim checks inside a Kubernetes manifest: the fields the engine reads, with the
 * apiserver's rules and defaults (namespace `default`, replicas 1, Service type ClusterIP,
 * targetPort = port). Every other field passes through untouched, so real manifests paste in.
 * Cross-object rules (duplicates, namespaces, nodePorts, selectors) live in manifests.ts.
 */
import { matchesSelector } from '../api/labels.js';
import { isQuantity, parseCpuMilli } from '../api/quantity.js';
import { parseDuration } from '../core/duration.js';
import { DEFAULT_NAMESPACE, SUPPORTED_KINDS, type KubeObject } from '../api/types.js';
import { IPV4_PATTERN } from '../network/ipv4.js';
import { parseAddressRange } from '../network/metallb-config.js';
import { DEFAULTS } from './defaults.js';
import { hpaSpec } from './hpa-schema.js';
import { errors } from './errors.js';
import { dnsLabel, dnsSubdomain, labels } from './formats.js';
import { any, arr, at, bool, duration, enumOf, int, literal, map, obj, oneOf, quantity, refine, str, union, type Ctx, type Schema } from './schema.js';

const keep = 'keep' as const;
const [NODE_PORT_MIN, NODE_PORT_MAX] = DEFAULTS.service.nodePortRange;

/**
 * Annotations, with the ones kubesim reads checked: serving.kubesim.dev/workers (an integer >= 1),
 * serving.kubesim.dev/queue-capacity (an integer >= 0), and the CPU quantities
 * serving.kubesim.dev/cpu-per-request and serving.kubesim.dev/cpu-idle (>= 0), see
 * engine/workload/pod-servers.ts; serving.kubesim.dev/mean-time-to-crash (a positive duration,
 * engine/node/kubelet.ts).
 */
const SERVING_ANNOTATION_MIN: Readonly<Record<string, number>> = {
  [DEFAULTS.serving.workersAnnotation]: 1,
  [DEFAULTS.serving.queueCapacityAnnotation]: 0,
};
const SERVING_CPU_ANNOTATIONS = [DEFAULTS.serving.cpuPerRequestAnnotation, DEFAULTS.serving.cpuIdleAnnotation];
const annotations = () =>
  refine(map(str()), (values, ctx) => {
    for (const [key, min] of Object.entries(SERVING_ANNOTATION_MIN)) {
      const text = values[key];
      if (text === undefined) continue;
      const n = Number(text);
      if (!/^\d+$/.test(text) || n < min || n > 1e6) {
        throw errors.invalidValue(ctx.file, at(ctx, key).path, `an integer from ${min} to 1000000, as a string`, JSON.stringify(text));
      }
    }
    const mttc = values[DEFAULTS.kubelet.meanTimeToCrashAnnotation];
    if (mttc !== undefined) {
      let seconds = NaN;
      try {
        seconds = parseDuration(mttc);
      } catch {
        // reported below
      }
      if (!(seconds > 0)) {
        throw errors.invalidValue(ctx.file, at(ctx, DEFAULTS.kubelet.meanTimeToCrashAnnotation).path, 'a positive duration such as "10m" or "90s", as a string', JSON.stringify(mttc));
      }
    }
    for (const key of SERVING_CPU_ANNOTATIONS) {
      const text = values[key];
      if (text === undefined) continue;
      if (!isQuantity(text) || text.trim().startsWith('-') || parseCpuMilli(text) > 1e6) {
        throw errors.invalidValue(ctx.file, at(ctx, key).path, 'a CPU quantity from 0 to 1000, as a string such as "1", "250m" or "0.5"', JSON.stringify(text));
      }
    }
    return values;
  });

const metadata = (namespaced: boolean) =>
  obj(
    {
      name: dnsSubdomain(),
      namespace: namespaced ? dnsLabel().default(DEFAULT_NAMESPACE) : dnsLabel(),
      labels: labels(),
      annotations: annotations(),
    },
    { required: ['name'], additional: keep },
  );

const resourceList = () => map(quantity('text'));

const container = obj(
  {
    name: dnsLabel(),
    image: str({ minLength: 1, patternName: 'an image reference' }),
    ports: arr(obj({ containerPort: int({ min: 1, max: 65535 }) }, { required: ['containerPort'], additional: keep })),
    resources: obj({ requests: resourceList(), limits: resourceList() }, { additional: keep }),
  },
  { required: ['name', 'image'], additional: keep },
);

const podSpec = obj(
  {
    containers: arr(container, { minItems: 1 }),
    nodeName: str(),
    nodeSelector: labels(),
    tolerations: arr(any()),
    terminationGracePeriodSeconds: int({ min: 0 }),
  },
  { required: ['containers'], additional: keep },
);

const labelSelector = obj(
  {
    // The engine reads matchLabels; matchExpressions are checked for shape only.
    matchLabels: labels(),
    matchExpressions: arr(
      obj(
        { key: str({ minLength: 1 }), operator: enumOf(['In', 'NotIn', 'Exists', 'DoesNotExist']), values: arr(str()) },
        { required: ['key', 'operator'], additional: keep },
      ),
    ),
  },
  { required: ['matchLabels'], additional: keep },
);

const template = obj(
  { metadata: obj({ labels: labels(), annotations: annotations() }, { required: ['labels'], additional: keep }), spec: podSpec },
  { required: ['metadata', 'spec'], additional: keep },
);

/** An IntOrString of a rolling update: a count, or a percentage such as "25%" (apps validation ValidatePositiveIntOrPercent). */
const intOrPercent = () =>
  oneOf<number | string>('a whole number >= 0 or a percentage such as "25%"', [
    { when: (v) => typeof v === 'number', schema: int({ min: 0 }) },
    { when: (v) => typeof v === 'string', schema: str({ pattern: /^\d+%$/, patternName: 'a percentage such as "25%"' }) },
  ]);

/** spec.strategy, with apps/v1 validation's rules (pkg/apis/apps/validation ValidateDeploymentStrategy). */
const strategy = refine(
  obj(
    {
      type: enumOf(['RollingUpdate', 'Recreate']),
      rollingUpdate: obj({ maxSurge: intOrPercent(), maxUnavailable: intOrPercent() }, { additional: keep }),
    },
    { additional: keep },
  ),
  (st, ctx) => {
    const ru = st.rollingUpdate;
    if (st.type === 'Recreate' && ru !== undefined) {
      throw errors.invalidValue(ctx.file, at(ctx, 'rollingUpdate').path, "no rollingUpdate when strategy type is 'Recreate'", 'rollingUpdate');
    }
    const isZero = (v: number | string | undefined) => v === 0 || v === '0%';
    if (ru && isZero(ru.maxSurge) && isZero(ru.maxUnavailable)) {
      throw errors.invalidValue(ctx.file, at(at(ctx, 'rollingUpdate'), 'maxUnavailable').path, 'a value other than 0 when maxSurge is 0', String(ru.maxUnavailable));
    }
    if (typeof ru?.maxUnavailable === 'string' && Number(ru.maxUnavailable.slice(0, -1)) > 100) {
      throw errors.invalidValue(ctx.file, at(at(ctx, 'rollingUpdate'), 'maxUnavailable').path, 'a percentage of at most 100%', ru.maxUnavailable);
    }
    return st;
  },
);

/** Deployment and ReplicaSet specs; the selector rule is apps/v1 validation's ValidatePodTemplateSpecForReplicaSet. */
const workloadSpec = refine(
  obj(
    {
      replicas: int({ min: 0 }).default(1),
      selector: labelSelector,
      template,
      strategy,
      minReadySeconds: int({ min: 0 }),
      revisionHistoryLimit: int({ min: 0 }),
    },
    { required: ['selector', 'template'], additional: keep },
  ),
  (spec, ctx) => {
    if (!matchesSelector(spec.selector, spec.template.metadata.labels)) {
      const where = at(at(at(ctx, 'template'), 'metadata'), 'labels').path;
      throw errors.invalidValue(
        ctx.file,
        where,
        'labels selected by spec.selector (the apiserver refuses: selector does not match template labels)',
        formatLabels(spec.template.metadata.labels),
      );
    }
    return spec;
  },
);

function formatLabels(l: Record<string, string>): string {
  const pairs = Object.entries(l).map(([k, v]) => `${k}=${v}`);
  return pairs.length ? `{${pairs.join(', ')}}` : 'no labels';
}

const servicePort = refine(
  obj(
    {
      name: dnsLabel(),
      protocol: enumOf(['TCP', 'UDP', 'SCTP']),
      port: int({ min: 1, max: 65535 }),
      targetPort: oneOf<number | string>('a port number 1..65535 or a port name', [
        { when: (v) => typeof v === 'number', schema: int({ min: 1, max: 65535 }) },
        { when: (v) => typeof v === 'string', schema: str({ minLength: 1, maxLength: 15, patternName: 'a port name' }) },
      ]),
      nodePort: int({ min: NODE_PORT_MIN, max: NODE_PORT_MAX }),
    },
    { required: ['port'], additional: keep },
  ),
  // core/v1 defaults: SetDefaults_Service copies port into an unset targetPort.
  (p) => ({ ...p, targetPort: p.targetPort ?? p.port }),
);

const serviceSpec = refine(
  obj(
    {
      type: enumOf(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']).default('ClusterIP'),
      selector: labels(),
      ports: arr(servicePort, { minItems: 1 }),
      healthCheckNodePort: int({ min: NODE_PORT_MIN, max: NODE_PORT_MAX }),
    },
    { required: ['ports'], additional: keep },
  ),
  (spec, ctx) => {
    // core/v1 validation (validateServiceExternalTrafficPolicy): only a LoadBalancer Service with externalTrafficPolicy Local has one.
    if (spec.healthCheckNodePort !== undefined && (spec.type !== 'LoadBalancer' || (spec as { externalTrafficPolicy?: unknown }).externalTrafficPolicy !== 'Local')) {
      throw errors.invalidValue(ctx.file, at(ctx, 'healthCheckNodePort').path, 'healthCheckNodePort only on a LoadBalancer Service with externalTrafficPolicy Local', String(spec.healthCheckNodePort));
    }
    if (spec.type === 'ClusterIP' || spec.type === 'ExternalName') {
      const i = spec.ports.findIndex((p) => p.nodePort !== undefined);
      if (i >= 0) {
        throw errors.invalidValue(ctx.file, at(at(at(ctx, 'ports'), i), 'nodePort').path, `no nodePort on a ${spec.type} Service (use type NodePort)`, String(spec.ports[i]!.nodePort));
      }
    }
    return spec;
  },
);

/** apps/v1 validation: spec.selector must select the template's labels (ValidatePodTemplateSpecForReplicaSet and kin). */
function requireSelectedTemplate<S extends { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> } } }>(
  spec: S,
  ctx: Ctx,
): S {
  if (!matchesSelector(spec.selector, spec.template.metadata.labels)) {
    throw errors.invalidValue(
      ctx.file,
      at(at(at(ctx, 'template'), 'metadata'), 'labels').path,
      'labels selected by spec.selector (the apiserver refuses: selector does not match template labels)',
      formatLabels(spec.template.metadata.labels),
    );
  }
  return spec;
}

/** DaemonSet spec; defaults of apps/v1 SetDefaults_DaemonSet (RollingUpdate, maxUnavailable 1, maxSurge 0). */
const daemonSetSpec = refine(
  obj(
    {
      selector: labelSelector,
      template,
      updateStrategy: obj(
        {
          type: enumOf(['RollingUpdate', 'OnDelete']).default('RollingUpdate'),
          rollingUpdate: obj({ maxUnavailable: intOrPercent(), maxSurge: intOrPercent() }, { additional: keep }),
        },
        { additional: keep },
      ),
      minReadySeconds: int({ min: 0 }),
      revisionHistoryLimit: int({ min: 0 }).default(10),
    },
    { required: ['selector', 'template'], additional: keep },
  ),
  (spec, ctx) => {
    requireSelectedTemplate(spec, ctx);
    const strategy = spec.updateStrategy ?? { type: 'RollingUpdate' as const };
    if (strategy.type === 'RollingUpdate') {
      const ru = { maxUnavailable: 1, maxSurge: 0, ...strategy.rollingUpdate };
      const isZero = (v: number | string) => v === 0 || v === '0%';
      if (isZero(ru.maxUnavailable) && isZero(ru.maxSurge)) {
        const c = at(at(at(ctx, 'updateStrategy'), 'rollingUpdate'), 'maxUnavailable');
        throw errors.invalidValue(c.file, c.path, 'a value other than 0 when maxSurge is 0', String(ru.maxUnavailable));
      }
      return { ...spec, updateStrategy: { ...strategy, rollingUpdate: ru } };
    }
    return { ...spec, updateStrategy: strategy };
  },
);

const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'] as const;
const accessModes = () => arr(enumOf(ACCESS_MODES), { minItems: 1 });
/** A selector over volume labels (matchExpressions alone are fine here). */
const volumeSelector = obj(
  {
    matchLabels: labels(),
    matchExpressions: arr(
      obj(
        { key: str({ minLength: 1 }), operator: enumOf(['In', 'NotIn', 'Exists', 'DoesNotExist']), values: arr(str()) },
        { required: ['key', 'operator'], additional: keep },
      ),
    ),
  },
  { additional: keep },
);

/** PersistentVolumeClaim spec (core validation: access modes and a storage request are required; volumeMode defaults to Filesystem). */
const claimSpec = obj(
  {
    accessModes: accessModes(),
    resources: obj({ requests: obj({ storage: quantity('text') }, { required: ['storage'], additional: keep }) }, { required: ['requests'], additional: keep }),
    storageClassName: str(),
    volumeName: str(),
    selector: volumeSelector,
    volumeMode: enumOf(['Filesystem', 'Block']).default('Filesystem'),
  },
  { required: ['accessModes', 'resources'], additional: keep },
);

/** StatefulSet spec; defaults of apps/v1 SetDefaults_StatefulSet (replicas 1, OrderedReady, RollingUpdate partition 0). */
const statefulSetSpec = refine(
  obj(
    {
      replicas: int({ min: 0 }).default(1),
      selector: labelSelector,
      template,
      serviceName: str(),
      podManagementPolicy: enumOf(['OrderedReady', 'Parallel']).default('OrderedReady'),
      updateStrategy: obj(
        {
          type: enumOf(['RollingUpdate', 'OnDelete']).default('RollingUpdate'),
          rollingUpdate: obj({ partition: int({ min: 0 }), maxUnavailable: intOrPercent() }, { additional: keep }),
        },
        { additional: keep },
      ),
      volumeClaimTemplates: arr(
        obj(
          { metadata: obj({ name: dnsSubdomain(), labels: labels(), annotations: map(str()) }, { required: ['name'], additional: keep }), spec: claimSpec },
          { required: ['metadata', 'spec'], additional: keep },
        ),
      ),
      minReadySeconds: int({ min: 0 }),
      revisionHistoryLimit: int({ min: 0 }).default(10),
      ordinals: obj({ start: int({ min: 0 }) }, { additional: keep }),
    },
    { required: ['selector', 'template'], additional: keep },
  ),
  (spec, ctx) => {
    requireSelectedTemplate(spec, ctx);
    const seen = new Set<string>();
    (spec.volumeClaimTemplates ?? []).forEach((t, i) => {
      if (seen.has(t.metadata.name)) {
        const c = at(at(at(at(ctx, 'volumeClaimTemplates'), i), 'metadata'), 'name');
        throw errors.duplicate(c.file, c.path, 'volumeClaimTemplates name', t.metadata.name);
      }
      seen.add(t.metadata.name);
    });
    return spec;
  },
);

const nodeSelectorRequirement = obj(
  { key: str({ minLength: 1 }), operator: enumOf(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']), values: arr(str()) },
  { required: ['key', 'operator'], additional: keep },
);
const nodeSelector = obj(
  {
    nodeSelectorTerms: arr(obj({ matchExpressions: arr(nodeSelectorRequirement), matchFields: arr(nodeSelectorRequirement) }, { additional: keep }), { minItems: 1 }),
  },
  { required: ['nodeSelectorTerms'], additional: keep },
);

/** PersistentVolume spec; reclaim policy defaults to Retain and volumeMode to Filesystem (core/v1 SetDefaults_PersistentVolume). */
const volumeSpec = refine(
  obj(
    {
      capacity: obj({ storage: quantity('text') }, { required: ['storage'], additional: keep }),
      accessModes: accessModes(),
      storageClassName: str(),
      persistentVolumeReclaimPolicy: enumOf(['Retain', 'Delete', 'Recycle']).default('Retain'),
      volumeMode: enumOf(['Filesystem', 'Block']).default('Filesystem'),
      nodeAffinity: obj({ required: nodeSelector }, { additional: keep }),
      claimRef: obj({ namespace: dnsLabel(), name: dnsSubdomain(), uid: str() }, { additional: keep }),
      local: obj({ path: str({ minLength: 1 }) }, { required: ['path'], additional: keep }),
    },
    { required: ['capacity', 'accessModes'], additional: keep },
  ),
  (spec, ctx) => {
    // core validation: "Local volume requires node affinity".
    if (spec.local && !spec.nodeAffinity?.required) {
      throw errors.invalidValue(ctx.file, at(ctx, 'nodeAffinity').path, 'nodeAffinity.required naming the node(s) of a local volume', 'none');
    }
    return spec;
  },
);

/** Kinds without a namespace (kubectl api-resources NAMESPACED=false). */
const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set(['Namespace', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'IngressClass']);

const kindShape = <const Kind extends keyof typeof SUPPORTED_KINDS, P extends Record<string, Schema<unknown>>>(kind: Kind, props: P) =>
  obj(
    { apiVersion: literal(SUPPORTED_KINDS[kind]), kind: literal(kind), metadata: metadata(!CLUSTER_SCOPED_KINDS.has(kind)), ...props },
    { required: ['apiVersion', 'kind', 'metadata'], additional: keep },
  );

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
    PriorityClass: refine(
      kindShape('PriorityClass', {
        // HighestUserDefinablePriority (pkg/apis/scheduling): higher values are reserved for system classes.
        value: int({ min: -2147483648, max: 1000000000 }),
        globalDefault: bool(),
        preemptionPolicy: enumOf(['PreemptLowerPriority', 'Never']),
        description: str(),
      }),
      (pc, ctx) => {
        if (pc.value === undefined) throw errors.missingField(ctx.file, ctx.path, 'value');
        return pc;
      },
    ),
    IPAddressPool: kindShape('IPAddressPool', {
      spec: refine(
        obj(
          { addresses: arr(str({ minLength: 1 }), { minItems: 1 }), autoAssign: bool().default(true) },
          { required: ['addresses'], additional: keep },
        ),
        (spec, ctx) => {
          spec.addresses.forEach((a, i) => {
            if (parseAddressRange(a) === undefined) {
              throw errors.invalidValue(ctx.file, at(at(ctx, 'addresses'), i).path, 'an IPv4 CIDR (192.168.1.240/28) or range (192.168.1.240-192.168.1.250)', a);
            }
          });
          return spec;
        },
      ),
    }),
    L2Advertisement: kindShape('L2Advertisement', {
      spec: obj(
        {
          ipAddressPools: arr(dnsSubdomain()),
          nodeSelectors: arr(obj({ matchLabels: labels() }, { additional: keep })),
        },
        { additional: keep },
      ),
    }),
    BGPAdvertisement: kindShape('BGPAdvertisement', {
      spec: obj(
        {
          ipAddressPools: arr(dnsSubdomain()),
          nodeSelectors: arr(obj({ matchLabels: labels() }, { additional: keep })),
        },
        { additional: keep },
      ),
    }),
    // metallb api/v1beta2/bgppeer_types.go: myASN, peerASN and peerAddress are required; holdTime a Go duration.
    BGPPeer: kindShape('BGPPeer', {
      spec: refine(
        obj(
          {
            myASN: int({ min: 0, max: 4294967295 }),
            peerASN: int({ min: 0, max: 4294967295 }),
            peerAddress: str({ minLength: 1 }),
            holdTime: duration({ exclusiveMin: 0 }),
          },
          { required: ['myASN', 'peerASN', 'peerAddress'], additional: keep },
        ),
        (spec, ctx) => {
          if (!IPV4_PATTERN.test(spec.peerAddress)) throw errors.invalidValue(ctx.file, at(ctx, 'peerAddress').path, 'an IPv4 address', spec.peerAddress);
          return spec;
        },
      ),
    }),
    // networking/v1 validation (pkg/apis/networking/validation): a path starts with '/', pathType is required, a backend names a Service and its port by number or name.
    Ingress: kindShape('Ingress', {
      spec: obj(
        {
          ingressClassName: dnsSubdomain(),
          rules: arr(
            obj(
              {
                host: str({ pattern: /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, patternName: 'a DNS name, optionally *.-prefixed (foo.example.com, *.example.com)' }),
                http: obj(
                  {
                    paths: arr(
                      obj(
                        {
                          path: str({ pattern: /^\//, patternName: "an absolute path starting with '/'" }).default('/'),
                          pathType: enumOf(['Exact', 'Prefix', 'ImplementationSpecific']),
                          backend: obj(
                            {
                              service: obj(
                                {
                                  name: dnsLabel(),
                                  // validateIngressServiceBackend: exactly one of port.name and port.number.
                                  port: refine(obj({ number: int({ min: 1, max: 65535 }), name: dnsLabel() }, { additional: keep }), (port, ctx) => {
                                    if ((port.number === undefined) === (port.name === undefined)) {
                                      throw errors.invalidValue(ctx.file, ctx.path, 'exactly one of port.number and port.name', port.number === undefined ? 'neither' : 'both');
                                    }
                                    return port;
                                  }),
                                },
                                { required: ['name', 'port'], additional: keep },
                              ),
                            },
                            { required: ['service'], additional: keep },
                          ),
                        },
                        { required: ['pathType', 'backend'], additional: keep },
                      ),
                      { minItems: 1 },
                    ),
                  },
                  { required: ['paths'], additional: keep },
                ),
              },
              { additional: keep },
            ),
          ),
        },
        { additional: keep },
      ),
    }),
    IngressClass: kindShape('IngressClass', { spec: obj({ controller: str({ minLength: 1 }) }, { additional: keep }) }),
    StorageClass: refine(
      kindShape('StorageClass', {
        provisioner: str({ minLength: 1 }),
        volumeBindingMode: enumOf(['Immediate', 'WaitForFirstConsumer']).default('Immediate'),
        reclaimPolicy: enumOf(['Retain', 'Delete']).default('Delete'),
      }),
      (sc, ctx) => {
        // storage validation: provisioner is required (kubernetes.io/no-provisioner for static volumes).
        if (sc.provisioner === undefined) throw errors.missingField(ctx.file, ctx.path, 'provisioner');
        return sc;
      },
    ),
  },
  SUPPORTED,
) as unknown as Schema<KubeObject>;
