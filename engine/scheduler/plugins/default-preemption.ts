/**
 * DefaultPreemption (PostFilter): when a pod fits nowhere, find nodes where evicting pods of
 * lower priority would make it fit, and pick one.
 *  - Not eligible with preemptionPolicy Never (Unschedulable, "not eligible due to
 *    preemptionPolicy=Never.").
 *  - Candidates: the nodes whose Filter status was Unschedulable (NodesForStatusCode; not
 *    UnschedulableAndUnresolvable, nor Pending), visited from a random offset; enough of them
 *    (10% of nodes, at least 100) end the search.
 *  - On a node (SelectVictimsOnNode): with no lower-priority pod, "No preemption victims found
 *    for incoming pod" (UnschedulableAndUnresolvable); remove them all, and if the pod still does
 *    not fit, the filter's status is the node's; else reprieve the removed pods from the most
 *    important (higher priority, then earlier start) down, keeping each that still lets the pod
 *    fit; the rest are the victims.
 *  - No candidate: Unschedulable, with a FitError over the nodes tried ("Preemption is not
 *    helpful for scheduling" for the others), and the pod's nomination cleared.
 *  - Choice (pickOneNodeForPreemption): fewest PDB violations (kubesim models no PDBs), lowest
 *    highest victim priority, lowest sum of priorities (each offset by 2^31), fewest victims,
 *    latest start among the highest-priority victims, then the first.
 * Upstream: pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go and
 * pkg/scheduler/framework/preemption/preemption.go
 */
import type { NodeInfo, PodInfo } from '../node-info.js';
import { schedulingFields } from '../pod-spec.js';
import { Status, type Plugin } from '../types.js';

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
        // Preempt: PodEligibleToPreemptOthers says no, Unschedulable with its reason; no result,
        // so the pod's nomination stays. PostFilter prefixes every message with "preemption: ".
        return { status: new Status('Unschedulable', ['preemption: not eligible due to preemptionPolicy=Never.']) };
      }
      const nodes = state.snapshot.nodes;
      const potential = nodes.filter((n) => statuses.get(n.name)?.code === 'Unschedulable');
      // The FitError of the dry run: each node tried without success counts its status's
      // reasons; every other node "Preemption is not helpful for scheduling".
      const reasons = new Map<string, number>();
      let tried = 0;
      const candidates: Candidate[] = [];
      if (potential.length > 0) {
        let want = Math.trunc((potential.length * MIN_CANDIDATE_NODES_PERCENTAGE) / 100);
        if (want < MIN_CANDIDATE_NODES_ABSOLUTE) want = MIN_CANDIDATE_NODES_ABSOLUTE;
        if (want > potential.length) want = potential.length;
        const offset = handle.randomInt(potential.length);
        for (let i = 0; i < potential.length && candidates.length < want; i++) {
          const node = potential[(offset + i) % potential.length]!;
          const found = selectVictimsOnNode(pod, node, (p, n) => handle.filterStatus(p, n));
          if (Array.isArray(found)) {
            candidates.push({ node, victims: found });
            continue;
          }
          tried++;
          for (const r of found.reasons) reasons.set(r, (reasons.get(r) ?? 0) + 1);
        }
      }
      if (candidates.length === 0) {
        reasons.set(NOT_HELPFUL, nodes.length - tried);
        // NewPostFilterResultWithNominatedNode(""): the pod's nomination, if any, is cleared.
        return { status: new Status('Unschedulable', [fitMessage(nodes.length, reasons)]), nominatedNodeName: '' };
      }
      const chosen = pick(candidates);
      return { status: new Status('Success'), nominatedNodeName: chosen.node.name, victims: chosen.victims };
    },
  };
}

/**
 * SelectVictimsOnNode: the victims that make `pod` fit on `node`, or the status that says why
 * evicting cannot help there. `filter` runs PreFilter and Filter (null: the pod fits).
 */
function selectVictimsOnNode(pod: PodInfo, node: NodeInfo, filter: (pod: PodInfo, node: NodeInfo) => Status | null): PodInfo[] | Status {
  const lower = node.pods.filter((p) => p.priority < pod.priority);
  if (lower.length === 0) return new Status('UnschedulableAndUnresolvable', [NO_VICTIMS]);
  for (const p of lower) node.removePod(p);
  try {
    const rejected = filter(pod, node);
    if (rejected !== null) return rejected;
    const victims: PodInfo[] = [];
    for (const p of [...lower].sort(moreImportant)) {
      node.addPod(p);
      if (filter(pod, node) !== null) {
        node.removePod(p);
        victims.push(p);
      }
    }
    // Upstream treats "fits with every pod back" as an error (DryRunPreemption's "expected at
    // least one victim pod"); it cannot happen when the node failed with the same pods, and
    // kubesim counts it as no victims.
    return victims.length ? victims : new Status('UnschedulableAndUnresolvable', [NO_VICTIMS]);
  } finally {
    for (const p of lower) if (!node.pods.includes(p)) node.addPod(p);
  }
}

function fitMessage(total: number, reasons: Map<string, number>): string {
  const parts = [...reasons].filter(([, n]) => n > 0).map(([r, n]) => `${n} ${r}`).sort();
  return `preemption: 0/${total} nodes are available: ${parts.join(', ')}.`;
}
