/**
 * IPv4 addresses and CIDR blocks as 32-bit unsigned integers, for node pools (consecutive
 * addresses) and the pod CIDR (one /24 per node, as kube-controller-manager's
 * --node-cidr-mask-size defaults to 24 for IPv4).
 */

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
export const IPV4_PATTERN = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);
export const CIDR_PATTERN = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}/(?:3[0-2]|[12]?\\d)$`);

/** kube-controller-manager --node-cidr-mask-size default for IPv4. */
export const NODE_CIDR_MASK_SIZE = 24;

export function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

export function parseCidr(cidr: string): { base: number; prefix: number } {
  const [ip, prefix] = cidr.split('/') as [string, string];
  return { base: ipToInt(ip), prefix: Number(prefix) };
}

/** The network address of a CIDR block (host bits cleared, as Go's net.ParseCIDR returns it) and its size. */
export function cidrBlock(cidr: string): { network: number; prefix: number; size: number } {
  const { base, prefix } = parseCidr(cidr);
  const size = 2 ** (32 - prefix);
  return { network: base - (base % size), prefix, size };
}

/** `a.b.c.d/p` with the host bits cleared, as Go's IPNet.String() prints it. */
export function canonicalCidr(cidr: string): string {
  const { network, prefix } = cidrBlock(cidr);
  return `${intToIp(network)}/${prefix}`;
}

/** How many per-node /24 ranges fit in a CIDR block. */
export function nodeCapacity(cidr: string): number {
  const { prefix } = parseCidr(cidr);
  return prefix > NODE_CIDR_MASK_SIZE ? 0 : 2 ** (NODE_CIDR_MASK_SIZE - prefix);
}
