/**
 * Turns the validated `spec.cluster` into concrete nodes: pools expanded (names from the
 * pattern, consecutive IPs), the labels the kubelet sets on registration and kubeadm sets on
 * control-plane nodes added, and the cluster-wide rules checked: unique names and IPs, and a
 * pod CIDR with a /24 for every node.
 */
import type { Labels } from '../api/types.js';
import { errors } from './errors.js';
import { DNS1123_SUBDOMAIN } from './formats.js';
import { intToIp, ipToInt, nodeCapacity, NODE_CIDR_MASK_SIZE } from '../network/ipv4.js';
import { LABEL_NODE_EXCLUDE_BALANCERS } from '../network/load-balancer-hosts.js';
import { at, type Ctx } from './schema.js';
import type { NodePoolInput, SingleNodeInput } from './scenario-schema.js';
import type { ScenarioNode } from './types.js';

/**
 * The labels kubeadm's mark-control-plane phase puts on a control-plane node, each with the
 * empty value (cmd/kubeadm/app/phases/markcontrolplane/markcontrolplane.go labelsToAdd). The
 * second keeps the node out of external load balancers: out of a cloud LB's backends
 * (load-balancer-hosts.ts) and out of MetalLB's announcers (metallb-config.ts). An operator who
 * wants the node there removes it (`kubectl label node NAME KEY-`); a scenario writes
 * `labels: { KEY: null }`. kubeadm's taint, node-role.kubernetes.io/control-plane:NoSchedule,
 * comes from its nodeRegistration.taints and is not added here: `taints` is taken as written.
 */
export const KUBEADM_CONTROL_PLANE_LABELS: readonly string[] = Object.freeze(['node-role.kubernetes.io/control-plane', LABEL_NODE_EXCLUDE_BALANCERS]);

/**
 * Labels every kubelet puts on its Node (kubernetes.io/hostname, kubernetes.io/os), and kubeadm's
 * labels on control-plane nodes; the user's labels win, and a null removes one of kubeadm's.
 * The kubelet's own cannot be removed: it sets them again whenever it registers
 * (pkg/kubelet/kubelet_node_status.go updateDefaultLabels).
 */
function nodeLabels(name: string, role: ScenarioNode['role'], user: Record<string, string | null>, ctx: Ctx): Labels {
  const labels: Labels = { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' };
  const removable = role === 'control-plane' ? KUBEADM_CONTROL_PLANE_LABELS : [];
  for (const key of removable) labels[key] = '';
  for (const [key, value] of Object.entries(user)) {
    if (value !== null) labels[key] = value;
    else if (removable.includes(key)) delete labels[key];
    else {
      const where = at(at(ctx, 'labels'), key);
      const expected = removable.length
        ? `a label value; null removes only a label kubeadm adds (${removable.join(', ')})`
        : 'a label value ("" for an empty one); null removes only a label kubeadm adds to a control-plane node';
      throw errors.invalidValue(where.file, where.path, expected, 'null');
    }
  }
  return labels;
}

function toNode(name: string, ip: string, item: SingleNodeInput | NodePoolInput, ctx: Ctx): ScenarioNode {
  return {
    name,
    ip,
    role: item.role,
    capacity: { ...item.capacity },
    labels: nodeLabels(name, item.role, item.labels, ctx),
    taints: item.taints.map((t) => ({ ...t })),
    unschedulable: item.unschedulable,
  };
}

/** One entry of `nodes`, with the path each generated node's fields are reported at. */
function expandItem(item: SingleNodeInput | NodePoolInput, ctx: Ctx): { node: ScenarioNode; nameAt: Ctx; ipAt: Ctx }[] {
  if (!('pool' in item)) return [{ node: toNode(item.name, item.ip, item, ctx), nameAt: at(ctx, 'name'), ipAt: at(ctx, 'ip') }];
  const pattern = item.namePattern ?? `${item.pool}-{i}`;
  const first = ipToInt(item.ipStart);
  if (first + item.count - 1 > 0xffffffff) {
    throw errors.invalidValue(ctx.file, at(ctx, 'ipStart').path, `room for ${item.count} consecutive IPv4 addresses`, item.ipStart);
  }
  const nameAt = at(ctx, item.namePattern === undefined ? 'pool' : 'namePattern');
  const out = [];
  for (let i = 1; i <= item.count; i++) {
    const name = pattern.replaceAll('{i}', String(i));
    if (!DNS1123_SUBDOMAIN.test(name) || name.length > 253) {
      throw errors.invalidValue(ctx.file, nameAt.path, 'a pattern giving DNS-1123 node names', `node name "${name}"`);
    }
    out.push({ node: toNode(name, intToIp(first + i - 1), item, ctx), nameAt, ipAt: at(ctx, 'ipStart') });
  }
  return out;
}

export function expandCluster(
  cluster: { podCIDR: string; serviceCIDR: string; nodes: (SingleNodeInput | NodePoolInput)[] },
  ctx: Ctx,
): { podCIDR: string; serviceCIDR: string; nodes: ScenarioNode[] } {
  const nodesAt = at(ctx, 'nodes');
  const names = new Set<string>();
  const ips = new Set<string>();
  const nodes: ScenarioNode[] = [];
  cluster.nodes.forEach((item, i) => {
    for (const { node, nameAt, ipAt } of expandItem(item, at(nodesAt, i))) {
      if (names.has(node.name)) throw errors.duplicate(nameAt.file, nameAt.path, 'node name', node.name);
      if (ips.has(node.ip)) throw errors.duplicate(ipAt.file, ipAt.path, 'node IP', node.ip);
      names.add(node.name);
      ips.add(node.ip);
      nodes.push(node);
    }
  });
  const room = nodeCapacity(cluster.podCIDR);
  if (nodes.length > room) {
    const where = at(ctx, 'podCIDR');
    throw errors.invalidValue(
      where.file,
      where.path,
      `a pod CIDR with a /${NODE_CIDR_MASK_SIZE} for each of the ${nodes.length} nodes`,
      `${cluster.podCIDR}, room for ${room}`,
    );
  }
  return { podCIDR: cluster.podCIDR, serviceCIDR: cluster.serviceCIDR, nodes };
}
