/**
 * DefaultPreemption (PostFilter): when a pod fits nowhere, find nodes where evicting pods of
 * lower priority would make it fit, and pick one.
 *  - Not eligible with preemptionPolicy Never.
 *  - Candidates: nodes whose failure was not UnschedulableAndUnresolvable, visited from a random
 *    offset; enough of them (10% of nodes, at least 100) end the search.
 *  - On a node: remove every lower-priority pod; if the pod then fits, reprieve the removed pods
 *    from the most important (higher priority, then earlier start) down, keeping each that still
 *    lets the pod fit; the rest are the victims.
 *  - Choice (pickOneNodeForPreemption): fewest PDB violations (kubesim models no PDBs), lowest
 *    highest victim priority, lowest sum of priorities (each offset by 2^31), fewest victims,
 *    latest start among the highest-priority victims, then the first.
 * Upstream: pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go and
 * pkg/scheduler/framework/preemption/preemption.go
 */
import type { NodeInfo, PodInfo } from '../node-info.js';
import { schedulingFields } from '../pod-spec.js';
import { Status, unresolvable, type Plugin } from '../types.js';

const MIN_CANDIDATE_NODES_PERCENTAGE = 10;
const MIN_CANDIDATE_NODES_ABSOLUTE = 100;
// Reasons without a final period: the FitError message adds one after the histogram
// (releases before 1.28 printed "incoming pod.." with both).
const NO_VICTIMS = 'No preemption victims found for incoming pod';
const NOT_HELPFUL = 'Preemption is not helpful for scheduling';

interface Candidate {
  node: NodeInfo;
  victims: PodInfo[];
}

/** MoreImportantPod: higher priority, then the one that started earlier. */
function moreImportant(a: PodInfo, b: PodInfo): number {
  return b.priority - a.priority || a.startTime - b.startTime;
}

function pick(candidates: Candidate[]): Candidate {
  const OFFSET = 2 ** 31;
  const keys = candidates.map((c) => {
    const highest = c.victims[0]!.priority;
    const sum = c.victims.reduce((acc, v) => acc + v.priority + OFFSET, 0);
    const earliestOfHighest = Math.min(...c.victims.filter((v) => v.priority === highest).map((v) => v.startTime));
    return [highest, sum, c.victims.length, -earliestOfHighest];
  });
  let best = 0;
  for (let i = 1; i < candidates.length; i++) {
    const a = keys[i]!;
    const b = keys[best]!;
    for (let k = 0; k < a.length; k++) {
      if (a[k]! < b[k]!) {
        best = i;
        break;
      }
      if (a[k]! > b[k]!) break;
    }
  }
  return candidates[best]!;
}

export function defaultPreemption(): Plugin {
  return {
    name: 'DefaultPreemption',
    postFilter(state, pod, statuses, handle) {
      if (schedulingFields(pod.pod).preemptionPolicy === 'Never') {
        // DefaultPreemption.PostFilter prefixes every message with "preemption: ".
        return { status: unresolvable('preemption: not eligible due to preemptionPolicy=Never.') };
      }
      const nodes = state.snapshot.nodes;
      const potential = nodes.filter((n) => statuses.get(n.name)?.code !== 'UnschedulableAndUnresolvable');
      const reasons = new Map<string, number>();
      reasons.set(NOT_HELPFUL, nodes.length - potential.length);
      if (potential.length === 0) return { status: unresolvable(fitMessage(nodes.length, reasons)) };
      let want = Math.trunc((potential.length * MIN_CANDIDATE_NODES_PERCENTAGE) / 100);
      if (want < MIN_CANDIDATE_NODES_ABSOLUTE) want = MIN_CANDIDATE_NODES_ABSOLUTE;
      if (want > potential.length) want = potential.length;
      const offset = handle.randomInt(potential.length);
      const candidates: Candidate[] = [];
      for (let i = 0; i < potential.length && candidates.length < want; i++) {
        const node = potential[(offset + i) % potential.length]!;
        const victims = selectVictimsOnNode(pod, node, (p, n) => handle.podFitsOn(p, n));
        if (victims) candidates.push({ node, victims });
        else reasons.set(NO_VICTIMS, (reasons.get(NO_VICTIMS) ?? 0) + 1);
      }
      if (candidates.length === 0) return { status: new Status('Unschedulable', [fitMessage(nodes.length, reasons)]) };
      const chosen = pick(candidates);
      return { status: new Status('Success'), nominatedNodeName: chosen.node.name, victims: chosen.victims };
    },
  };
}

/** The victims that make `pod` fit on `node`, or undefined when evicting cannot help. */
function selectVictimsOnNode(pod: PodInfo, node: NodeInfo, fits: (pod: PodInfo, node: NodeInfo) => boolean): PodInfo[] | undefined {
  const lower = node.pods.filter((p) => p.priority < pod.priority);
  if (lower.length === 0) return undefined;
  for (const p of lower) node.removePod(p);
  try {
    if (!fits(pod, node)) return undefined;
    const victims: PodInfo[] = [];
    for (const p of [...lower].sort(moreImportant)) {
      node.addPod(p);
      if (!fits(pod, node)) {
        node.removePod(p);
        victims.push(p);
      }
    }
    return victims.length ? victims : undefined;
  } finally {
    for (const p of lower) if (!node.pods.includes(p)) node.addPod(p);
  }
}

function fitMessage(total: number, reasons: Map<string, number>): string {
  const parts = [...reasons].filter(([, n]) => n > 0).map(([r, n]) => `${n} ${r}`).sort();
  return `preemption: 0/${total} nodes are available: ${parts.join(', ')}.`;
}
