/**
 * Pod IP addresses, as the node IPAM controller and a host-local CNI plugin hand them out:
 * node i (in registration order) gets the i-th /24 of the cluster pod CIDR
 * (kube-controller-manager --allocate-node-cidrs with --node-cidr-mask-size 24), and pods on a
 * node get the lowest free address from .2 upwards (.0 is the network, .1 the bridge gateway,
 * .255 broadcast), so addresses of deleted pods are reused.
 */

export function ipv4ToNumber(ip: string): number {
  const parts = ip.split('.').map(Number);
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

export function numberToIpv4(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** The /24 of node number `index` inside `clusterCIDR` (`a.b.c.d/p`, p <= 24). */
export function nodePodCIDR(clusterCIDR: string, index: number): string {
  const [base, prefix] = clusterCIDR.split('/') as [string, string];
  const size = 2 ** (24 - Number(prefix));
  if (index >= size) throw new RangeError(`pod CIDR ${clusterCIDR} has room for ${size} nodes, node ${index + 1} has no /24 left`);
  const network = ipv4ToNumber(base) & ~(2 ** (32 - Number(prefix)) - 1);
  return `${numberToIpv4((network + index * 256) >>> 0)}/24`;
}

export class NodeIpam {
  private readonly used = new Uint8Array(256);
  private readonly base: number;

  constructor(readonly podCIDR: string) {
    this.base = ipv4ToNumber(podCIDR.split('/')[0]!);
  }

  allocate(): string | undefined {
    for (let host = 2; host < 255; host++) {
      if (this.used[host] === 0) {
        this.used[host] = 1;
        return numberToIpv4(this.base + host);
      }
    }
    return undefined;
  }

  release(ip: string): void {
    const host = ipv4ToNumber(ip) - this.base;
    if (host >= 0 && host < 256) this.used[host] = 0;
  }
}
