/**
 * Rules that tie `load` and `timeline` to the rest of the scenario: the Services, ports, nodes
 * and Deployments they name must exist, and their times must fall inside the run.
 */
import type { KubeObject, Service } from '../api/types.js';
import { faultReferences } from '../faults/command.js';
import { checkAgainst, createdBy, referencesOf } from '../kubectl/index.js';
import { errors } from './errors.js';
import { at, type Ctx } from './schema.js';
import type { ScenarioInput } from './scenario-schema.js';
import type { LoadSpec, ScenarioNode, TimelineEntry } from './types.js';

type LoadInput = ScenarioInput['spec']['load'][number];
type TimelineInput = ScenarioInput['spec']['timeline'][number];

function findService(manifests: readonly KubeObject[], namespace: string, name: string): Service | undefined {
  return manifests.find((o): o is Service => o.kind === 'Service' && o.metadata.name === name && o.metadata.namespace === namespace);
}

function namesOf(manifests: readonly KubeObject[], kind: KubeObject['kind'], namespace: string): string[] {
  return manifests.filter((o) => o.kind === kind && o.metadata.namespace === namespace).map((o) => o.metadata.name);
}

function resolveLoad(load: LoadInput, ctx: Ctx, manifests: readonly KubeObject[], nodes: readonly ScenarioNode[], duration: number): LoadSpec {
  const target = at(ctx, 'target');
  const { service: name, namespace, via, port, nodes: entryNodes, nodeSelection, healthCheck, loadBalancer, ecmpHashing, resilientBuckets, bgpPeer, routerBfd, ingress } = load.target;
  const service = findService(manifests, namespace, name);
  if (!service) {
    const c = at(target, 'service');
    throw errors.unknownReference(c.file, c.path, `Service in namespace ${namespace}`, name, namesOf(manifests, 'Service', namespace));
  }
  if (via === 'NodePort' && service.spec.type !== 'NodePort' && service.spec.type !== 'LoadBalancer') {
    const c = at(target, 'via');
    throw errors.invalidValue(c.file, c.path, `a Service of type NodePort or LoadBalancer for via: NodePort`, `Service ${name} of type ${service.spec.type}`);
  }
  if (via === 'LoadBalancer' && service.spec.type !== 'LoadBalancer') {
    const c = at(target, 'via');
    throw errors.invalidValue(c.file, c.path, `a Service of type LoadBalancer for via: LoadBalancer`, `Service ${name} of type ${service.spec.type ?? 'ClusterIP'}`);
  }
  if (healthCheck && (via !== 'LoadBalancer' || loadBalancer !== 'cloud')) {
    const c = at(target, 'healthCheck');
    throw errors.invalidValue(c.file, c.path, 'healthCheck only with via: LoadBalancer through a cloud load balancer', `via: ${via}, loadBalancer: ${loadBalancer}`);
  }
  const ports = service.spec.ports.map((p) => p.port);
  if (port !== undefined && !ports.includes(port)) {
    const c = at(target, 'port');
    throw errors.invalidValue(c.file, c.path, `a port of Service ${name} (${ports.join(', ')})`, String(port));
  }
  const nodeNames = nodes.map((n) => n.name);
  entryNodes?.forEach((node, i) => {
    if (!nodeNames.includes(node)) {
      const c = at(at(target, 'nodes'), i);
      throw errors.unknownReference(c.file, c.path, 'cluster node', node, nodeNames);
    }
  });
  const stop = load.stop ?? duration;
  if (load.start >= duration) throw errors.outOfRange(ctx.file, at(ctx, 'start').path, `a start before the end of the run (${duration} s)`, load.start);
  if (stop > duration || stop <= load.start) {
    throw errors.outOfRange(ctx.file, at(ctx, 'stop').path, `a stop after start (${load.start} s) and at most the duration (${duration} s)`, stop);
  }
  return {
    name: load.name,
    target: {
      service: name,
      namespace,
      via,
      nodeSelection,
      loadBalancer,
      ecmpHashing,
      resilientBuckets,
      ...(bgpPeer !== undefined && { bgpPeer }),
      ...(routerBfd && { routerBfd }),
      ...(port !== undefined && { port }),
      ...(entryNodes && { nodes: entryNodes }),
      ...(ingress && { ingress }),
      ...(healthCheck && { healthCheck: Object.fromEntries(Object.entries(healthCheck).filter(([, v]) => v !== undefined)) }),
    },
    arrivals: load.arrivals,
    clients: load.clients,
    serviceTime: load.serviceTime,
    timeout: load.timeout,
    start: load.start,
    stop,
  };
}

export function resolveLoads(
  loads: readonly LoadInput[],
  ctx: Ctx,
  manifests: readonly KubeObject[],
  nodes: readonly ScenarioNode[],
  duration: number,
): LoadSpec[] {
  const names = new Set<string>();
  const resolved = loads.map((load, i) => {
    const c = at(ctx, i);
    if (names.has(load.name)) throw errors.duplicate(c.file, at(c, 'name').path, 'load name', load.name);
    names.add(load.name);
    return resolveLoad(load, c, manifests, nodes, duration);
  });
  checkBgpRouter(resolved, ctx, manifests);
  return resolved;
}

/**
 * kubesim models one BGP router, the peer of every MetalLB speaker: `target.bgpPeer` names which
 * BGPPeer it is (default the only one). Several BGPPeers and no name is ambiguous, an error rather
 * than a silent pick; loads through MetalLB naming different routers, or giving the same router
 * different BFD settings, too. Checked for loads through MetalLB when a BGPAdvertisement exists.
 */
function checkBgpRouter(loads: readonly LoadSpec[], ctx: Ctx, manifests: readonly KubeObject[]): void {
  if (!manifests.some((o) => o.kind === 'BGPAdvertisement')) return;
  const peers = manifests.filter((o) => o.kind === 'BGPPeer').map((o) => o.metadata.name).sort();
  let first: { index: number; peer: string | undefined; bfd: string } | undefined;
  loads.forEach((l, index) => {
    if (l.target.via !== 'LoadBalancer' || l.target.loadBalancer !== 'metallb') return;
    const target = at(at(ctx, index), 'target');
    const { bgpPeer, routerBfd } = l.target;
    if (bgpPeer !== undefined && !peers.includes(bgpPeer)) {
      const c = at(target, 'bgpPeer');
      throw errors.unknownReference(c.file, c.path, 'BGPPeer', bgpPeer, peers);
    }
    if (bgpPeer === undefined && peers.length > 1) {
      const c = at(target, 'bgpPeer');
      throw errors.invalidValue(c.file, c.path, `the BGPPeer that is the router, one of ${peers.join(', ')} (kubesim models one router)`, 'nothing');
    }
    const peer = bgpPeer ?? peers[0];
    const bfd = JSON.stringify(routerBfd ?? null);
    if (!first) return void (first = { index, peer, bfd });
    if (peer !== first.peer) {
      const c = at(target, 'bgpPeer');
      throw errors.invalidValue(c.file, c.path, `the router of spec.load[${first.index}], BGPPeer ${first.peer} (kubesim models one router)`, `BGPPeer ${peer}`);
    }
    if (bfd !== first.bfd) {
      const c = at(target, 'routerBfd');
      throw errors.invalidValue(c.file, c.path, `the routerBfd of spec.load[${first.index}] (the same router)`, bfd === 'null' ? 'nothing' : bfd);
    }
  });
}

/**
 * Checks times and the objects each command names, then sorts by time (stable: equal times keep
 * file order). A command may name an object of the manifests or one that an earlier command
 * creates (`kubectl create deployment`, `run`, `expose`, `apply -f`): the commands are checked
 * in the order they run. A deletion does not make a name unknown: naming a deleted object is
 * kubectl's NotFound at run time, as in a real shell session.
 */
export function resolveTimeline(
  entries: readonly TimelineInput[],
  ctx: Ctx,
  manifests: readonly KubeObject[],
  nodes: readonly ScenarioNode[],
  duration: number,
): TimelineEntry[] {
  const nodeNames = nodes.map((n) => n.name);
  const known: KubeObject[] = [...manifests];
  const order = entries.map((entry, index) => ({ entry, index })).sort((a, b) => a.entry.at - b.entry.at || a.index - b.index);
  order.forEach(({ entry, index: i }) => {
    const c = at(ctx, i);
    if (entry.at > duration) throw errors.outOfRange(c.file, at(c, 'at').path, `a time within the run (at most ${duration} s)`, entry.at);
    const { tool, command } = entry.command;
    const refs = tool === 'kubectl' ? referencesOf(command) : faultReferences(command);
    for (const ref of refs) {
      const isNode = ref.kind === 'Node';
      const names = isNode ? nodeNames : namesOf(known, ref.kind as KubeObject['kind'], ref.namespace);
      if (!names.includes(ref.name)) {
        const r = at(c, 'run');
        throw errors.unknownReference(r.file, r.path, isNode ? 'cluster node' : `${ref.kind} in namespace ${ref.namespace}`, ref.name, names);
      }
    }
    if (tool === 'kubectl') {
      const problem = checkAgainst(command, known);
      if (problem) {
        const r = at(c, 'run');
        throw errors.invalidValue(r.file, r.path, problem.expected, problem.found);
      }
      known.push(...createdBy(command));
    }
  });
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => a.entry.at - b.entry.at || a.index - b.index)
    .map(({ entry }) => ({ at: entry.at, run: entry.run, command: entry.command }));
}

/** Objects the timeline creates (as known at load time), in the order the commands run: loads may target their Services. */
export function timelineObjects(timeline: readonly TimelineEntry[]): KubeObject[] {
  return timeline.flatMap((e) => (e.command.tool === 'kubectl' ? createdBy(e.command.command) : []));
}
