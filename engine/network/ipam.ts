/**
 * Pod IP addresses, as the node IPAM controller and a host-local CNI plugin hand them out:
 * node i (in registration order) gets the i-th /24 of the cluster pod CIDR
 * (kube-controller-manager --allocate-node-cidrs with --node-cidr-mask-size 24), and pods on a
 * node get the lowest free address from .2 upwards (.0 is the network, .1 the bridge gateway,
 * .255 broadcast), so addresses of deleted pods are reused.
 */
import { intToIp, ipToInt, nodeCapacity, NODE_CIDR_MASK_SIZE, parseCidr } from './ipv4.js';

/** The /24 of node number `index` inside `clusterCIDR` (`a.b.c.d/p`, p <= 24). */
export function nodePodCIDR(clusterCIDR: string, index: number): string {
  const { base, prefix } = parseCidr(clusterCIDR);
  const room = nodeCapacity(clusterCIDR);
  if (index >= room) throw new RangeError(`pod CIDR ${clusterCIDR} has room for ${room} nodes, node ${index + 1} has no /24 left`);
  const network = base - (base % 2 ** (32 - prefix));
  return `${intToIp(network + index * 256)}/${NODE_CIDR_MASK_SIZE}`;
}

export class NodeIpam {
  private readonly used = new Uint8Array(256);
  private readonly base: number;

  constructor(readonly podCIDR: string) {
    this.base = parseCidr(podCIDR).base;
  }

  allocate(): string | undefined {
    for (let host = 2; host < 255; host++) {
      if (this.used[host] === 0) {
        this.used[host] = 1;
        return intToIp(this.base + host);
      }
    }
    return undefined;
  }

  release(ip: string): void {
    const host = ipToInt(ip) - this.base;
    if (host >= 0 && host < 256) this.used[host] = 0;
  }
}
