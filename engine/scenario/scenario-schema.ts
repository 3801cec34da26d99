/**
 * The scenario file format, defined once: `scenarioSchema.parse` validates and normalizes a
 * document (durations to seconds, quantities to millicores and bytes, defaults from DEFAULTS),
 * and `scenarioJsonSchema()` is the JSON Schema committed as scenarios/scenario.schema.json.
 * Rules that relate one part of the document to another (references, duplicates, the pod CIDR
 * being large enough) are checked after parsing, in cluster.ts, manifests.ts and references.ts.
 */
import { lognormalFromMeanP99, type DistributionSpec } from '../core/distributions.js';
import { DEFAULT_NAMESPACE } from '../api/types.js';
import { DEFAULTS } from './defaults.js';
import { errors } from './errors.js';
import { cidr, dnsLabel, dnsSubdomain, ipv4, labelValue } from './formats.js';
import { KubectlSyntaxError } from '../kubectl/index.js';
import { parseTimelineCommand, type TimelineCommand } from '../timeline/command.js';
import { manifestSchema } from './manifest-schema.js';
import { controllerManagerSpec, metricsServerSpec } from './controller-manager-schema.js';
import { metricsSpec } from './metrics-schema.js';
import { kubeProxySpec } from './kube-proxy-schema.js';
import { arrivalsSchema, clientsSchema } from './load-schema.js';
import { canonicalCidr, NODE_CIDR_MASK_SIZE, parseCidr } from '../network/ipv4.js';
import {
  arr,
  at,
  bool,
  duration,
  enumOf,
  fail,
  int,
  isPlainObject,
  literal,
  map,
  nullValue,
  num,
  obj,
  oneOf,
  quantity,
  refine,
  str,
  union,
  type Infer,
  type JsonSchema,
  type Schema,
} from './schema.js';
import { SCENARIO_API_VERSION } from './types.js';
import { schedulerSpec } from '../scheduler/config-schema.js';

/** Longest run a scenario may ask for; beyond it a typo (`30d` meant as 30 s) is more likely than intent. */
export const MAX_DURATION = 30 * 86400;
export { MAX_RATE } from './load-schema.js';
export const MAX_POOL_SIZE = 10000;

const { capacity: CAP } = DEFAULTS.node;

const capacity = refine(
  obj({
    cpu: quantity('cpu').describe('CPU, e.g. "2" or 1500m.').default(CAP.cpuMilli, `${CAP.cpuMilli}m`),
    memory: quantity('memory').describe('Memory, e.g. 2Gi.').default(CAP.memoryBytes),
    pods: int({ min: 1, max: 10000 }).describe('Most pods the kubelet runs (--max-pods).').default(CAP.pods),
  }),
  (c) => ({ cpuMilli: c.cpu, memoryBytes: c.memory, pods: c.pods }),
)
  .describe('Node capacity; allocatable equals capacity in kubesim.')
  .default({ ...CAP }, { cpu: `${CAP.cpuMilli}m`, memory: CAP.memoryBytes, pods: CAP.pods });

const taint = obj(
  {
    key: str({ minLength: 1 }),
    value: str(),
    effect: enumOf(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
  },
  { required: ['key', 'effect'] },
);

/**
 * A node's labels, merged over the ones kubesim adds as a JSON merge patch is: a value sets a
 * label, null removes one of the labels kubeadm adds (cluster.ts says which).
 */
const nodeLabels = map(
  oneOf<string | null>('a label value, or null to remove a label kubeadm adds', [
    { when: (v) => v !== null, schema: labelValue() },
    { when: (v) => v === null, schema: nullValue() },
  ]),
);

/** Fields a single node and a node pool share. */
const nodeCommon = {
  role: enumOf(['control-plane', 'worker']).default(DEFAULTS.node.role),
  capacity,
  labels: nodeLabels
    .describe(
      'Labels merged over the defaults kubernetes.io/hostname, kubernetes.io/os and, on control-plane nodes, kubeadm\'s ' +
        'node-role.kubernetes.io/control-plane and node.kubernetes.io/exclude-from-external-load-balancers. ' +
        'null removes one of kubeadm\'s, as `kubectl label node NAME KEY-` does.',
    )
    .default({}),
  taints: arr(taint).default([]),
  unschedulable: bool().default(false),
};

const singleNode = obj(
  { name: dnsSubdomain().describe('Node name.'), ip: ipv4().describe('InternalIP of the node.'), ...nodeCommon },
  { required: ['name', 'ip'] },
);

const nodePool = obj(
  {
    pool: dnsLabel().describe('Pool name; node names default to <pool>-{i}.'),
    count: int({ min: 1, max: MAX_POOL_SIZE }).describe('Number of identical nodes.'),
    namePattern: str({ pattern: /\{i\}/, patternName: 'a name pattern containing {i}' }).describe(
      'Node name with {i} replaced by the 1-based index, e.g. w{i}-k8s.',
    ),
    ipStart: ipv4().describe('IP of the first node; the others take the following addresses.'),
    ...nodeCommon,
  },
  { required: ['pool', 'count', 'ipStart'] },
);

export type SingleNodeInput = Infer<typeof singleNode>;
export type NodePoolInput = Infer<typeof nodePool>;

const podCIDR = refine(cidr(), (text, ctx) => {
  if (parseCidr(text).prefix > NODE_CIDR_MASK_SIZE) {
    fail(ctx, `a CIDR block with prefix length <= ${NODE_CIDR_MASK_SIZE} (each node takes a /${NODE_CIDR_MASK_SIZE})`, text);
  }
  return text;
});

/**
 * kube-apiserver validateMaxCIDRRange: "specified --service-cluster-ip-range is too large; for
 * 32-bit addresses, the mask must be >= 12"; a /31 or /32 leaves no address for a Service.
 * Host bits are cleared, as Go's net.ParseCIDR does.
 */
const serviceCIDR = refine(cidr(), (text, ctx) => {
  const { prefix } = parseCidr(text);
  if (prefix < 12 || prefix > 30) {
    fail(ctx, 'a CIDR block with prefix length from 12 (kube-apiserver: for 32-bit addresses, the mask must be >= 12) to 30', text);
  }
  return canonicalCidr(text);
});

const cluster = obj(
  {
    podCIDR: podCIDR.describe('Cluster pod network (--cluster-cidr); each node gets a /24 of it.').default(DEFAULTS.scenario.podCIDR),
    serviceCIDR: serviceCIDR
      .describe("Service network (kube-apiserver --service-cluster-ip-range): Services get their cluster IPs from it, the first address going to the default/kubernetes Service.")
      .default(DEFAULTS.scenario.serviceCIDR),
    nodes: arr(
      oneOf<SingleNodeInput | NodePoolInput>('a node {name, ip} or a node pool {pool, count, ipStart}', [
        { when: (v) => isPlainObject(v) && 'pool' in v, schema: nodePool },
        { when: isPlainObject, schema: singleNode },
      ]),
      { minItems: 1 },
    ),
  },
  { required: ['nodes'] },
);

// ---- distributions of time values -----------------------------------------------------------

const positive = () => duration({ exclusiveMin: 0 });

const uniform = refine(
  obj({ dist: literal('uniform'), min: duration(), max: duration() }, { required: ['dist', 'min', 'max'] }),
  (d, ctx): DistributionSpec => {
    if (d.min > d.max) fail(at(ctx, 'max'), `a duration >= min (${d.min} s)`, d.max);
    return d;
  },
);

const lognormal = refine(
  obj({
    dist: literal('lognormal'),
    mean: positive().describe('Mean, with p99.'),
    p99: positive().describe('99th percentile, with mean.'),
    mu: num().describe('Mean of ln(seconds), with sigma.'),
    sigma: num({ min: 0 }).describe('Standard deviation of ln(seconds), with mu.'),
  }),
  (d, ctx): DistributionSpec => {
    if (d.mean !== undefined && d.p99 !== undefined && d.mu === undefined && d.sigma === undefined) {
      try {
        return { dist: 'lognormal', ...lognormalFromMeanP99(d.mean, d.p99) };
      } catch (e) {
        if (e instanceof RangeError) throw errors.invalidValue(ctx.file, at(ctx, 'p99').path, 'a p99 the lognormal can have', e.message);
        throw e;
      }
    }
    if (d.mu !== undefined && d.sigma !== undefined && d.mean === undefined && d.p99 === undefined) {
      return { dist: 'lognormal', mu: d.mu, sigma: d.sigma };
    }
    throw errors.invalidValue(ctx.file, ctx.path, 'a lognormal with either {mean, p99} or {mu, sigma}', `fields ${Object.keys(d).join(', ')}`);
  },
);

const empiricalPoint = obj({ p: num({ min: 0, max: 1 }), value: duration() }, { required: ['p', 'value'] });

const empirical = refine(
  obj({
    dist: literal('empirical'),
    values: arr(duration(), { minItems: 1 }).describe('Measured values, drawn with equal probability.'),
    points: arr(empiricalPoint, { minItems: 2 }).describe('Inverse CDF points {p, value}, p from 0 to 1.'),
  }),
  (d, ctx): DistributionSpec => {
    if ((d.values === undefined) === (d.points === undefined)) {
      throw errors.invalidValue(ctx.file, ctx.path, 'an empirical distribution with either values or points', d.values ? 'both' : 'neither');
    }
    if (d.values) return { dist: 'empirical', values: d.values };
    const points = d.points!;
    points.forEach((pt, i) => {
      const where = at(at(ctx, 'points'), i);
      if (i === 0 && pt.p !== 0) fail(at(where, 'p'), 'p = 0 for the first point', pt.p);
      if (i === points.length - 1 && pt.p !== 1) fail(at(where, 'p'), 'p = 1 for the last point', pt.p);
      if (i > 0 && pt.p <= points[i - 1]!.p) fail(at(where, 'p'), `p > ${points[i - 1]!.p} (strictly increasing)`, pt.p);
      if (i > 0 && pt.value < points[i - 1]!.value) fail(at(where, 'value'), `a value >= ${points[i - 1]!.value} s (non-decreasing)`, pt.value);
    });
    return { dist: 'empirical', points };
  },
);

const distributionObject = union(
  'dist',
  {
    constant: obj({ dist: literal('constant'), value: duration() }, { required: ['dist', 'value'] }),
    uniform,
    exponential: obj({ dist: literal('exponential'), mean: positive() }, { required: ['dist', 'mean'] }),
    normal: obj({ dist: literal('normal'), mean: duration(), stddev: duration() }, { required: ['dist', 'mean', 'stddev'] }),
    lognormal,
    empirical,
  },
  'dist one of constant, uniform, exponential, normal, lognormal, empirical',
) as Schema<DistributionSpec>;

/** A time distribution: a plain duration is a constant. Values in seconds after parsing. */
export const distribution: Schema<DistributionSpec> = oneOf<DistributionSpec>(
  'a duration such as 20ms or a distribution such as {dist: lognormal, mean: 20ms, p99: 120ms}',
  [
    {
      when: (v) => typeof v === 'string' || typeof v === 'number',
      schema: refine(duration(), (value): DistributionSpec => ({ dist: 'constant', value })),
    },
    { when: isPlainObject, schema: distributionObject },
  ],
);

// ---- load, timeline, manifests ----------------------------------------------------------------

const load = obj(
  {
    name: dnsLabel().describe('Name of the load, unique; used in outputs.'),
    target: obj(
      {
        service: dnsSubdomain().describe('Name of a Service in manifests.'),
        namespace: dnsLabel().default(DEFAULT_NAMESPACE),
        via: enumOf(['NodePort', 'ClusterIP', 'LoadBalancer']).describe(
          "Enter through a node port, from inside the cluster to the ClusterIP, or through a cloud load balancer (a LoadBalancer Service; it spreads connections over the nodes that pass its health checks).",
        ),
        port: int({ min: 1, max: 65535 }).describe("Service port; default the Service's first port."),
        nodes: arr(dnsSubdomain(), { minItems: 1 }).describe('NodePort: nodes the clients send to; ClusterIP: nodes the client pods run on. Default all nodes.'),
        nodeSelection: enumOf(['roundRobin', 'random']).describe('NodePort: how a client picks the node of each connection; LoadBalancer: how the LB spreads new connections over its healthy nodes.').default('roundRobin'),
        loadBalancer: enumOf(['cloud', 'metallb'])
          .describe(
            "LoadBalancer: who implements it: a cloud provider's load balancer, or MetalLB (bare metal: the metallb.io/v1beta1 IPAddressPool gives the address, an L2Advertisement announces it from one node by ARP, a BGPAdvertisement from every eligible node by BGP, with the metallb.io/v1beta2 BGPPeer's holdTime; without them the Service stays <pending>).",
          )
          .default('cloud'),
        ecmpHashing: enumOf(['modulo', 'resilient'])
          .describe(
            'LoadBalancer via MetalLB in BGP mode (a BGPAdvertisement selects the pool): how the router spreads flows over the announcing nodes (ECMP). modulo: hash mod the number of next hops, so a next-hop change moves most connections; resilient: a fixed bucket table where only the changed next hop\'s buckets move.',
          )
          .default('modulo'),
        resilientBuckets: int({ min: 1, max: 65535 })
          .describe(
            "MetalLB BGP, ecmpHashing resilient: buckets of the router's table (Linux `ip nexthop add id N group ... type resilient buckets B`, a 16-bit count; Linux's default is 128, kubesim's 64). A withdrawn next hop's buckets move to the others; fewer buckets than next hops leaves some next hops without traffic.",
          )
          .default(64),
        bgpPeer: dnsSubdomain().describe(
          'MetalLB BGP: the name of the metallb.io/v1beta2 BGPPeer that is the router the clients come through (its timers and bfdProfile apply). Default: the only BGPPeer; required when there are several. kubesim models one router: every load through MetalLB BGP names the same one.',
        ),
        routerBfd: obj({
          requiredMinRxInterval: duration({ min: 0.001, max: 60 }).describe("The router's bfd.RequiredMinRxInterval: the speakers send at least this far apart (RFC 5880 section 6.8.7).").default(0.3),
          desiredMinTxInterval: duration({ min: 0.001, max: 60 }).describe("The router's bfd.DesiredMinTxInterval (the speakers' detection of the router, not modelled).").default(0.3),
          detectMultiplier: int({ min: 2, max: 255 }).describe("The router's Detect Mult (the speakers' detection of the router, not modelled).").default(3),
        }).describe(
          "MetalLB BGP with a BGPPeer bfdProfile: the router's BFD settings, an assumption about the router (defaults: FRR bfdd's 300ms, 300ms, 3). The router declares a powered-off node down after the profile's detectMultiplier x max(its transmitInterval, requiredMinRxInterval) (RFC 5880 section 6.8.4) and withdraws its routes.",
        ),
        ingress: obj(
          {
            host: str({ minLength: 1 }).describe('Host header of the requests.'),
            path: str({ pattern: /^\//, patternName: "an absolute path starting with '/'" }).describe('URL path of the requests.').default('/'),
            className: dnsSubdomain().describe('The IngressClass whose Ingresses the controller serves (spec.ingressClassName).').default('nginx'),
            controllerServiceTime: positive().describe('Seconds of one controller worker per request (proxying), before it forwards to a backend pod.').default(0.001),
          },
          { required: ['host'] },
        ).describe(
          "HTTP through an ingress controller (e.g. ingress-nginx): `service` is the controller's Service, entered `via` NodePort or LoadBalancer; each request is served by a controller pod (its workers, queue and CPU), routed by the rules of the class's networking.k8s.io/v1 Ingresses by host and path, and forwarded round robin to a ready endpoint of the backend Service (no match: requests_failed_no_route, ingress-nginx's 404).",
        ),
        healthCheck: obj({
          checkInterval: duration({ exclusiveMin: 0 }).describe('Between two probes of a node; default 3s under externalTrafficPolicy Local, 8s under Cluster (GKE).'),
          timeout: duration({ exclusiveMin: 0 }).describe('How long a probe waits for a node that does not answer; default 1s.'),
          healthyThreshold: int({ min: 1, max: 100 }).describe('Passing probes in a row for a node to join the pool; default 1.'),
          unhealthyThreshold: int({ min: 1, max: 100 }).describe('Failed probes in a row for a node to leave the pool; default 2 under Local, 3 under Cluster.'),
        }).describe('LoadBalancer: the cloud LB health checks (defaults: GKE, kubernetes/ingress-gce pkg/healthchecksl4).'),
      },
      { required: ['service', 'via'] },
    ),
    arrivals: arrivalsSchema(distribution).describe('Open loop (poisson, constant, ramp, steps, spike, sinusoidal, diurnal, trace) or closed loop (closed).'),
    clients: clientsSchema,
    serviceTime: distribution.describe('Work one request needs from one worker of the serving pod.'),
    timeout: positive().describe('Client timeout; a later answer counts as failed.').default(DEFAULTS.load.timeout),
    start: duration().describe('When the load starts.').default(0),
    stop: duration().describe('When the load stops; default the end of the run.'),
  },
  { required: ['name', 'target', 'arrivals', 'serviceTime'] },
);

/** A kubectl or kubesim syntax problem becomes an error at the `run` field that holds the command. */
function parseCommand(run: string, ctx: { file: string | undefined; path: string }): TimelineCommand {
  try {
    return parseTimelineCommand(run);
  } catch (e) {
    if (e instanceof KubectlSyntaxError) throw errors.invalidValue(ctx.file, ctx.path, e.expected, e.found);
    throw e;
  }
}

const timelineEntry = refine(
  obj(
    {
      at: duration().describe('When to run the command, from the start of the run.'),
      run: str({ minLength: 1 }).describe(
        'A kubectl command (apply -f FILE; create deployment NAME --image=IMG [--replicas=N] [--port=P]; run NAME --image=IMG; expose deployment NAME --port=P [--target-port=T] [--type=NodePort]; patch deployment|statefulset|daemonset|replicaset|service NAME -p PATCH; get pods|nodes|deploy|rs|sts|ds|svc|pvc|pv|all [NAME] [-o wide|yaml|json] [-A]; scale deployment|replicaset|statefulset NAME --replicas=N; delete pod|deployment|replicaset|statefulset|daemonset|service NAME|-l key=value; set image deployment/NAME CONTAINER=IMAGE; rollout status|history|undo|restart deployment/NAME [--to-revision=N]; annotate TYPE NAME|-l SELECTOR|--all KEY=VALUE KEY- [--overwrite] [--resource-version=V]; label node|pod|deploy|svc|... NAME KEY=VALUE KEY- [--overwrite] [--resource-version=V] (or -l SELECTOR, --all); taint nodes NAME KEY[=VALUE]:EFFECT KEY[:EFFECT]- [--overwrite]; cordon|uncordon NODE; drain NODE --ignore-daemonsets) or a kubesim fault action (fail|recover node NODE; stop|start kubelet NODE; stop|start scheduler|controller-manager|apiserver; crash pod NAME [-c CONTAINER]; hang pod NAME).',
      ),
    },
    { required: ['at', 'run'] },
  ),
  (entry, ctx) => ({ ...entry, command: parseCommand(entry.run, at(ctx, 'run')) }),
);

const manifestEntry = oneOf<unknown>('a Kubernetes object (apiVersion, kind, metadata, ...) or {file: path}', [
  {
    when: (v) => isPlainObject(v) && 'file' in v && !('kind' in v),
    schema: obj({ file: str({ minLength: 1 }).describe('YAML file of one or more objects, relative to this scenario.') }, { required: ['file'] }),
  },
  { when: isPlainObject, schema: manifestSchema },
]);

const spec = obj(
  {
    seed: int({ min: 0, max: 2 ** 32 - 1 }).describe('Seed of every random stream of the run.').default(DEFAULTS.scenario.seed),
    duration: duration({ exclusiveMin: 0, max: MAX_DURATION }).describe('Simulated time to run.').default(DEFAULTS.scenario.duration),
    sampleInterval: duration({ exclusiveMin: 0 }).describe('Period of metric samples; at most the duration.').default(DEFAULTS.scenario.sampleInterval),
    cluster,
    manifests: arr(manifestEntry).describe('Kubernetes objects, inline or {file: path}, as kubectl apply -f takes them.').default([]),
    load: arr(load).default([]),
    timeline: arr(timelineEntry).describe('Operations at given times, written as kubectl commands.').default([]),
    controllerManager: controllerManagerSpec(),
    metricsServer: metricsServerSpec(),
    metrics: metricsSpec(),
    kubeProxy: kubeProxySpec(),
    scheduler: schedulerSpec().describe('The kube-scheduler configuration: {config: <KubeSchedulerConfiguration> | {file: path}}; profiles are chosen by spec.schedulerName.'),
  },
  { required: ['cluster'] },
);

export const scenarioSchema = obj(
  {
    apiVersion: literal(SCENARIO_API_VERSION),
    kind: literal('Scenario'),
    metadata: obj(
      { name: dnsLabel().describe('Scenario name, used in output names.'), description: str().default('') },
      { required: ['name'] },
    ),
    spec,
  },
  { required: ['apiVersion', 'kind', 'metadata', 'spec'] },
);

export type ScenarioInput = Infer<typeof scenarioSchema>;

/** The JSON Schema of a scenario file, as committed in scenarios/scenario.schema.json. */
export function scenarioJsonSchema(): JsonSchema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://kubesim.dev/schemas/scenario.schema.json',
    title: 'kubesim scenario',
    description: 'A cluster, its workloads as Kubernetes manifests, a synthetic load and a timeline of kubectl commands.',
    ...scenarioSchema.json(),
  };
}
