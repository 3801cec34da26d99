/**
 * sessionAffinity: ClientIP. A client address keeps going to the endpoint it was sent to
 * while it keeps opening connections within `timeoutSeconds` of the previous one
 * (sessionAffinityConfig.clientIP.timeoutSeconds, default 10800 s, core/v1
 * DefaultClientIPServiceAffinitySeconds). iptables mode implements it with `-m recent
 * --rcheck --seconds T --reap` per endpoint (pkg/proxy/iptables/proxier.go), IPVS with a
 * persistent virtual service (`-p T`), nftables with an affinity set whose elements time out.
 * An entry whose endpoint is gone from the rules is ignored, and the client is balanced anew.
 */
import type { Service } from '../api/types.js';
import { DEFAULT_CLIENT_IP_AFFINITY_SECONDS } from './kube-proxy-config.js';

interface Sticky {
  podUid: string;
  at: number;
}

/** The affinity timeout of a Service in seconds; 0 without ClientIP affinity. */
export function affinityTimeout(service: Service | undefined): number {
  if (service?.spec.sessionAffinity !== 'ClientIP') return 0;
  const config = service.spec.sessionAffinityConfig as { clientIP?: { timeoutSeconds?: number } } | undefined;
  return config?.clientIP?.timeoutSeconds ?? DEFAULT_CLIENT_IP_AFFINITY_SECONDS;
}

export class SessionAffinity {
  private readonly table = new Map<number, Sticky>();

  constructor(readonly timeout: number) {}

  /** The endpoint a client is stuck to at `now`, if its entry has not expired. */
  lookup(clientIp: number, now: number): string | undefined {
    const s = this.table.get(clientIp);
    if (!s) return undefined;
    if (now - s.at > this.timeout) {
      this.table.delete(clientIp);
      return undefined;
    }
    return s.podUid;
  }

  /** A new connection from `clientIp` went to `podUid`: the timer restarts. */
  record(clientIp: number, podUid: string, now: number): void {
    const s = this.table.get(clientIp);
    if (s) {
      s.podUid = podUid;
      s.at = now;
    } else this.table.set(clientIp, { podUid, at: now });
  }

  /** Keeps the entries across a rule sync of the same Service (the kernel state survives it). */
  adopt(previous: SessionAffinity | undefined): void {
    if (previous) for (const [ip, s] of previous.table) this.table.set(ip, s);
  }
}
