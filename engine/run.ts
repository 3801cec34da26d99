/**
 * One seeded run of a scenario: builds the cluster (API server, controllers, scheduler,
 * kubelets, kube-proxy view, pod servers, load generators), replays the timeline, samples
 * metrics every `sampleInterval`, and reports to an Observer. A pure function of
 * (scenario, seed): no I/O, no wall clock.
 */
import { createContext, type ClusterContext } from './api/context.js';
import { runKubectl } from './kubectl/index.js';
import { takeSnapshot } from './kubectl/snapshot.js';
import { ApiServer } from './api/store.js';
import type { Node } from './api/types.js';
import { ControllerManager } from './controllers/controller-manager.js';
import { GarbageCollector } from './controllers/garbagecollector.js';
import { DisruptionController } from './controllers/disruption.js';
import { DaemonSetController } from './controllers/daemonset.js';
import { PersistentVolumeController } from './controllers/persistentvolume.js';
import { StatefulSetController } from './controllers/statefulset.js';
import { HorizontalPodAutoscalerController } from './controllers/hpa.js';
import { runFault, type ClusterHandles } from './faults/run.js';
import { sampler } from './core/distributions.js';
import { Simulation } from './core/simulation.js';
import { sampleCluster } from './metrics/cluster-sampler.js';
import { CAdvisor } from './metrics/cadvisor.js';
import { sampleHorizontalPodAutoscalers } from './metrics/hpa-sampler.js';
import { SchedulerSampler } from './metrics/scheduler-sampler.js';
import { MetricsServer } from './metrics/metrics-server.js';
import { PodCpuSampler } from './metrics/pod-cpu-sampler.js';
import type { Observer } from './metrics/observer.js';
import { TrafficStats } from './metrics/traffic-stats.js';
import { nodePodCIDR } from './network/ipam.js';
import { ServiceTable } from './network/service-table.js';
import { metalLbConfig, followNodeLabels, serviceKey, type MetalLbL2Config } from './network/metallb-config.js';
import type { EventSink } from './network/cloud-load-balancer.js';
import { cloudLoadBalancerAddresses } from './network/cloud-load-balancer.js';
import { LoadBalancerStatusController } from './network/load-balancer-status.js';
import { MetalLbController } from './network/metallb-controller.js';
import { startKubernetesServiceController } from './api/kubernetes-service.js';
import { NodeInformer } from './network/node-informer.js';
import { ServiceControllerNodeSync } from './network/service-controller.js';
import { Kubelet, kubeletShared, startKubelets } from './node/kubelet.js';
import { DEFAULTS, type Defaults } from './scenario/defaults.js';
import type { Scenario, ScenarioNode, TimelineEntry } from './scenario/types.js';
import { Scheduler } from './scheduler/scheduler.js';
import type { Registry } from './scheduler/registry.js';
import { buildTraffic } from './workload/traffic.js';
import { PodServers, type ServedLoad } from './workload/pod-servers.js';
import { ingressBackend } from './network/ingress-controller.js';
import { RequestTable } from './workload/request-table.js';

export interface RunOptions {
  /** Overrides the scenario's seed (Monte-Carlo replications). */
  seed?: number;
  defaults?: Defaults;
  /** Guard against a runaway model; default 2^31 events. */
  maxEvents?: number;
  /** Scheduler plugins by name: the in-tree ones plus a user's (`--plugin FILE`, `withPlugins`). */
  registry?: Registry;
  /** `--snapshot AT`: simulated seconds at which kubectl get tables are written to the observer's `snapshot`. */
  snapshots?: readonly number[];
}

export interface RunResult {
  seed: number;
  simulatedSeconds: number;
  events: number;
  summary: ReadonlyMap<string, number>;
}

/** The error a run raises when the model breaks one of its own invariants (an internal error, exit 1). */
export class InvariantError extends Error {
  override name = 'InvariantError';
}

/**
 * A run in progress. `advance()` runs one sample interval, so a caller can interleave runs
 * with I/O (waiting for output streams to drain keeps memory flat) and report progress;
 * `runScenario` is the plain loop over it.
 */
export class ScenarioRun {
  readonly seed: number;
  private readonly sim: Simulation;
  private readonly api: ApiServer;
  private readonly observer: Observer;
  private readonly stats: TrafficStats;
  private readonly table = new RequestTable();
  private readonly scheduler: Scheduler;
  private readonly schedulerSampler: SchedulerSampler;
  private readonly podCpu: PodCpuSampler;
  private readonly samples: number;
  private readonly maxEvents: number;
  private nextSample = 1;
  private podsCreated = 0;
  private warnings = 0;
  private eventsRecorded = 0;

  constructor(
    private readonly scenario: Scenario,
    observer: Observer,
    options: RunOptions = {},
  ) {
    const defaults = options.defaults ?? DEFAULTS;
    this.seed = options.seed ?? scenario.seed;
    const sim = (this.sim = new Simulation(this.seed));
    const api = (this.api = new ApiServer(sim, { ...defaults.apiServer, serviceCIDR: scenario.cluster.serviceCIDR }));
    this.observer = {
      sample: observer.sample.bind(observer),
      total: observer.total.bind(observer),
      summary: observer.summary.bind(observer),
      ...(observer.snapshot && { snapshot: observer.snapshot.bind(observer) }),
      event: (e) => {
        this.eventsRecorded++;
        if (e.type === 'Warning') this.warnings++;
        observer.event(e);
      },
    };
    const ctx = createContext(sim, api, this.observer, defaults);

    // Control plane.
    const controllerManager = new ControllerManager(ctx);
    controllerManager.add(new DaemonSetController(ctx).workQueue);
    controllerManager.add(new StatefulSetController(ctx).workQueue);
    controllerManager.add(new PersistentVolumeController(ctx).workQueue);
    controllerManager.add(new GarbageCollector(ctx).workQueue);
    controllerManager.add(new DisruptionController(ctx).workQueue);
    this.scheduler = new Scheduler(ctx, scenario.scheduler, options.registry);
    this.schedulerSampler = new SchedulerSampler(this.scheduler, api);
    const services = new ServiceTable(ctx);
    api.watch('Pod', (type) => {
      if (type === 'ADDED') this.podsCreated++;
    });

    // Data plane.
    const nodeNames = scenario.cluster.nodes.map((n) => n.name);
    const nodeIndex = new Map(nodeNames.map((n, i) => [n, i]));
    const table = this.table;
    const stats = (this.stats = new TrafficStats(nodeNames));
    // Through an ingress controller, a load's requests are counted on the backend Service its rules route them to (on the controller's Service when none matches).
    const backends = scenario.load.map((l) => l.target.ingress && ingressBackend(scenario.manifests, l.target.ingress.className, l.target.ingress.host, l.target.ingress.path));
    const served: ServedLoad[] = scenario.load.map((l, i) => ({
      serviceIndex: stats.serviceIndex(backends[i] ? { namespace: backends[i].namespace, name: backends[i].service } : { namespace: l.target.namespace, name: l.target.service }),
      serviceTime: sampler(l.serviceTime),
      rng: sim.stream(`load/${l.name}/service`),
    }));
    const servers = new PodServers(ctx, table, stats, served);
    this.podCpu = new PodCpuSampler(servers);
    // The resource metrics pipeline (kubelet cAdvisor -> metrics-server) and the HPA controller, when an HPA needs them.
    if (scenario.manifests.some((m) => m.kind === 'HorizontalPodAutoscaler')) {
      const cadvisor = new CAdvisor(sim, servers, nodeNames, defaults.metrics.housekeepingInterval);
      const metricsServer = new MetricsServer(sim, cadvisor, nodeNames, scenario.metricsServer?.metricResolution ?? defaults.metrics.metricResolution);
      controllerManager.add(new HorizontalPodAutoscalerController(ctx, metricsServer, scenario.controllerManager, scenario.metrics));
    }
    const shared = kubeletShared(ctx, servers);
    const kubelets = new Map<string, Kubelet>();
    scenario.cluster.nodes.forEach((n, i) => {
      kubelets.set(n.name, new Kubelet(ctx, shared, nodeObject(n, nodePodCIDR(scenario.cluster.podCIDR, i))));
    });
    startKubelets(ctx, kubelets);
    const hopLatency = defaults.network.hopLatency;
    const nodeDown = new Uint8Array(nodeNames.length);
    // Load balancers follow node labels and taints (kubectl label / taint) through their own Node watch.
    const nodeInformer = new NodeInformer(api, nodeNames, scenario.cluster.nodes);
    const metallb = metalLbConfig(scenario.manifests, scenario.cluster.nodes);
    followNodeLabels(metallb, scenario.manifests, nodeInformer);
    const event: EventSink = (t, r, o, m) => ctx.event(t, r, o, m);
    const traffic = buildTraffic(
      { sim, table, stats, services, servers, hopLatency, nodeNames, nodeDown, kubeProxy: scenario.kubeProxy ?? defaults.kubeProxy,
        event,
        metallb,
        nodeSync: new ServiceControllerNodeSync(nodeInformer, event),
      },
      scenario.load,
      served.map((l) => l.serviceIndex),
      { served, backends },
    );
    startLoadBalancerControllers(ctx, scenario, metallb);
    const kubeProxies = new Map(traffic.proxies.nodes.map((p) => [p.nodeName, p]));
    const handles: ClusterHandles = { kubelets, kubeProxies, nodeIndex, nodeDown, scheduler: this.scheduler, controllerManager, apiServer: api };

    // Desired state: the API server's own Service, the manifests, as `kubectl apply -f` at time zero, then the timeline.
    startKubernetesServiceController(ctx);
    for (const manifest of scenario.manifests) {
      api.create(structuredClone(manifest), (result, o, message) => {
        // An explicit clusterIP a dynamic allocation took first is refused, as kubectl apply would report it.
        if (result !== 'ok') ctx.event('Warning', 'FailedCreate', o, message ?? result);
      });
    }
    scheduleTimeline(sim, scenario.timeline, defaults.apiServer.writeLatency, ({ command, run }) =>
      command.tool === 'kubectl' ? runKubectl(ctx, command.command, run) : runFault(ctx, handles, command.command, run),
    );
    traffic.start();
    for (const t of options.snapshots ?? []) if (t <= scenario.duration) sim.schedule(t, () => takeSnapshot(ctx));

    this.samples = Math.floor(scenario.duration / scenario.sampleInterval + 1e-9);
    this.maxEvents = options.maxEvents ?? 2 ** 31;
  }

  get done(): boolean {
    return this.nextSample > this.samples;
  }

  /** Simulated seconds reached. */
  get now(): number {
    return this.sim.now;
  }

  /** The run's API server: for tests and tools that watch the cluster as the run goes (read, never write). */
  get apiServer(): ApiServer {
    return this.api;
  }

  get events(): number {
    return this.sim.eventsRun;
  }

  /** Runs up to the next sample instant and writes its samples. */
  advance(): void {
    if (this.done) return;
    const t = this.nextSample++ * this.scenario.sampleInterval;
    const result = this.sim.run({ until: t, maxEvents: this.maxEvents - this.sim.eventsRun });
    if (result.reason === 'maxEvents') throw new InvariantError(`run stopped after ${this.maxEvents} events at t=${this.sim.now}s`);
    sampleCluster(this.api, t, this.observer);
    this.schedulerSampler.sample(t, this.observer);
    sampleHorizontalPodAutoscalers(this.api, t, this.observer);
    this.podCpu.sample(t, this.observer);
    this.stats.sample(t, this.observer);
  }

  /** Runs to the end (if not there yet), checks conservation, writes totals and the summary. */
  finish(): RunResult {
    while (!this.done) this.advance();
    if (this.sim.now < this.scenario.duration) this.sim.run({ until: this.scenario.duration, maxEvents: this.maxEvents - this.sim.eventsRun });
    // Conservation: every request sent was served, failed, or is still waiting for its answer.
    const stats = this.stats;
    const inFlight = this.table.countWaiting();
    if (stats.sentTotal !== stats.endedTotal + inFlight) {
      throw new InvariantError(`request conservation broken: ${stats.sentTotal} sent, ${stats.endedTotal} ended, ${inFlight} in flight`);
    }
    stats.totals(this.observer);
    const summary = new Map<string, number>();
    stats.summary(summary, inFlight);
    summary.set('pods_created', this.podsCreated);
    summary.set('pods_pending_at_end', this.scheduler.pendingCount);
    this.schedulerSampler.finish(this.observer, summary);
    summary.set('events', this.eventsRecorded);
    summary.set('warnings', this.warnings);
    summary.set('sim_events', this.sim.eventsRun);
    this.observer.summary(summary);
    return { seed: this.seed, simulatedSeconds: this.scenario.duration, events: this.sim.eventsRun, summary };
  }
}

export function runScenario(scenario: Scenario, observer: Observer, options: RunOptions = {}): RunResult {
  return new ScenarioRun(scenario, observer, options).finish();
}

/**
 * Timeline commands run as a shell script runs them: one after another, each starting once the
 * previous one has had its answer from the API server (one write latency), so `set image` then
 * `rollout status` at the same instant see each other, as typed commands do. The next command
 * is scheduled only when the previous one has run, which orders it after that command's writes.
 */
function scheduleTimeline(sim: Simulation, timeline: readonly TimelineEntry[], roundTrip: number, run: (entry: TimelineEntry) => void): void {
  let i = 0;
  const next = (earliest: number) => {
    const entry = timeline[i++];
    if (!entry) return;
    sim.schedule(Math.max(entry.at, earliest), () => {
      run(entry);
      next(sim.now + roundTrip);
    });
  };
  next(0);
}

/**
 * Who implements LoadBalancer Services: MetalLB's controller when the manifests install MetalLB
 * (an IPAddressPool), for every LoadBalancer Service it sees come and go
 * (engine/network/metallb-controller.ts); the cloud's service controller for the Services that
 * loads reach through a cloud load balancer (engine/network/load-balancer-status.ts), which
 * MetalLB then leaves alone, as it leaves Services of another load-balancer class.
 */
function startLoadBalancerControllers(ctx: ClusterContext, scenario: Scenario, metallb: MetalLbL2Config): void {
  const fronted = scenario.load
    .filter((l) => l.target.via === 'LoadBalancer' && l.target.loadBalancer === 'cloud')
    .map((l) => `${l.target.namespace}/${l.target.service}`);
  const cloud = cloudLoadBalancerAddresses(fronted);
  if (metallb.pools.length > 0) new MetalLbController(ctx, metallb.pools, { ignores: (svc) => cloud.has(serviceKey(svc)) });
  if (cloud.size > 0) {
    new LoadBalancerStatusController(ctx, {
      addressOf: (svc) => cloud.get(serviceKey(svc)),
      assigned: (svc) => {
        ctx.event('Normal', 'EnsuringLoadBalancer', svc, 'Ensuring load balancer');
        ctx.event('Normal', 'EnsuredLoadBalancer', svc, 'Ensured load balancer');
      },
    });
  }
}

function nodeObject(n: ScenarioNode, podCIDR: string): Node {
  const capacity = { cpu: `${n.capacity.cpuMilli}m`, memory: String(n.capacity.memoryBytes), pods: String(n.capacity.pods) };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: n.name, labels: { ...n.labels } },
    spec: { podCIDR, unschedulable: n.unschedulable || undefined, taints: n.taints.length ? n.taints.map((t) => ({ ...t })) : undefined },
    status: {
      capacity,
      allocatable: { ...capacity },
      addresses: [
        { type: 'InternalIP', address: n.ip },
        { type: 'Hostname', address: n.name },
      ],
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  };
}
