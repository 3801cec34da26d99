/**
 * What kubesim checks inside a Kubernetes manifest: the fields the engine reads, with the
 * apiserver's rules and defaults (namespace `default`, replicas 1, Service type ClusterIP,
 * targetPort = port). Every other field passes through untouched, so real manifests paste in.
 * Cross-object rules (duplicates, namespaces, nodePorts, selectors) live in manifests.ts.
 */
import { matchesSelector } from '../api/labels.js';
import { DEFAULT_NAMESPACE, SUPPORTED_KINDS, type KubeObject } from '../api/types.js';
import { DEFAULTS } from './defaults.js';
import { errors } from './errors.js';
import { dnsLabel, dnsSubdomain, labels } from './formats.js';
import { any, arr, at, enumOf, int, literal, map, obj, oneOf, quantity, refine, str, union, type Schema } from './schema.js';

const keep = 'keep' as const;
const [NODE_PORT_MIN, NODE_PORT_MAX] = DEFAULTS.service.nodePortRange;

/**
 * Annotations, with the two kubesim reads checked: serving.kubesim.dev/workers (an integer >= 1)
 * and serving.kubesim.dev/queue-capacity (an integer >= 0), see engine/workload/pod-servers.ts.
 */
const SERVING_ANNOTATION_MIN: Readonly<Record<string, number>> = {
  [DEFAULTS.serving.workersAnnotation]: 1,
  [DEFAULTS.serving.queueCapacityAnnotation]: 0,
};
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

/** Deployment and ReplicaSet specs; the selector rule is apps/v1 validation's ValidatePodTemplateSpecForReplicaSet. */
const workloadSpec = refine(
  obj(
    { replicas: int({ min: 0 }).default(1), selector: labelSelector, template },
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
    },
    { required: ['ports'], additional: keep },
  ),
  (spec, ctx) => {
    if (spec.type === 'ClusterIP' || spec.type === 'ExternalName') {
      const i = spec.ports.findIndex((p) => p.nodePort !== undefined);
      if (i >= 0) {
        throw errors.invalidValue(ctx.file, at(at(at(ctx, 'ports'), i), 'nodePort').path, `no nodePort on a ${spec.type} Service (use type NodePort)`, String(spec.ports[i]!.nodePort));
      }
    }
    return spec;
  },
);

const kindShape = <const Kind extends keyof typeof SUPPORTED_KINDS, P extends Record<string, Schema<unknown>>>(kind: Kind, props: P) =>
  obj(
    { apiVersion: literal(SUPPORTED_KINDS[kind]), kind: literal(kind), metadata: metadata(kind !== 'Namespace'), ...props },
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
  },
  SUPPORTED,
) as unknown as Schema<KubeObject>;
