/**
 * What kubesim reads of each metallb.io/v1beta2 BGPPeer: its BGP timers and its BFD profile.
 *
 * Timers, as MetalLB internal/config/config.go parseTimers: holdTime alone gives keepaliveTime =
 * holdTime / 3, keepaliveTime alone gives holdTime = 3 x keepaliveTime, neither gives the 90 s /
 * 30 s MetalLB documents; a hold time whose whole seconds are neither 0 nor at least 3 and a
 * keepalive above the hold time are rejected (manifest-schema/metallb.ts). On the wire both are
 * whole seconds (RFC 4271 section 4.2: the OPEN's Hold Time is an integer number of seconds;
 * MetalLB renders FRR's `neighbor X timers KEEPALIVE HOLD` in seconds), so kubesim truncates.
 * Hold time 0 switches the hold timer and keepalives off (RFC 4271 section 4.4): only BFD, if
 * configured, then detects a powered-off node. The negotiated hold time is the smaller of both
 * ends' (section 4.2); kubesim assumes the router's is not smaller than the speaker's.
 */
import type { BFDProfile, BGPPeer, KubeObject } from '../api/types.js';
import { BFD_PROFILE_DEFAULTS, type BfdProfile } from './bfd.js';

/** MetalLB's default BGP hold time (api/v1beta2 BGPPeer holdTime, "90s"; keepalives every 30 s). */
export const BGP_DEFAULT_HOLD_TIME = 90;

/**
 * A speaker whose hold time is 0 sends no keepalive; after a reboot it opens a new session at
 * BGP's ConnectRetryTimer, RFC 4271 section 10's suggested 120 s.
 */
export const BGP_CONNECT_RETRY_TIME = 120;

export interface BgpPeerSession {
  name: string;
  namespace: string;
  peerAddress: string;
  /** Seconds, whole; 0: no hold timer. */
  holdTime: number;
  /** Seconds, whole; 0: no keepalive. */
  keepaliveTime: number;
  /** The BFDProfile `spec.bfdProfile` names, defaults filled in; absent: no BFD session. */
  bfd?: BfdProfile;
}

/** parseTimers (internal/config/config.go), then whole seconds; inputs in seconds. */
export function bgpTimers(holdTime: number | undefined, keepaliveTime: number | undefined): { holdTime: number; keepaliveTime: number } {
  const hold = holdTime ?? (keepaliveTime !== undefined ? 3 * keepaliveTime : BGP_DEFAULT_HOLD_TIME);
  const keepalive = keepaliveTime ?? hold / 3;
  return { holdTime: Math.trunc(hold), keepaliveTime: Math.trunc(keepalive) };
}

/** A BFDProfile's spec in seconds, unset fields at their defaults (BFD_PROFILE_DEFAULTS). */
export function bfdProfileOf(profile: BFDProfile): BfdProfile {
  const s = profile.spec ?? {};
  const ms = (v: number | undefined, d: number) => (v === undefined ? d : v / 1000);
  const d = BFD_PROFILE_DEFAULTS;
  return {
    receiveInterval: ms(s.receiveInterval, d.receiveInterval),
    transmitInterval: ms(s.transmitInterval, d.transmitInterval),
    detectMultiplier: s.detectMultiplier ?? d.detectMultiplier,
    echoInterval: ms(s.echoInterval, d.echoInterval),
    echoMode: s.echoMode ?? d.echoMode,
    passiveMode: s.passiveMode ?? d.passiveMode,
    minimumTtl: s.minimumTtl ?? d.minimumTtl,
  };
}

/** Every BGPPeer among `manifests`, by name, with its timers and BFD profile (looked up in the peer's namespace). */
export function bgpPeerSessions(manifests: readonly KubeObject[]): BgpPeerSession[] {
  const profiles = manifests.filter((m): m is BFDProfile => m.kind === 'BFDProfile');
  return manifests
    .filter((m): m is BGPPeer => m.kind === 'BGPPeer')
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0))
    .map((p) => {
      const namespace = p.metadata.namespace ?? 'default';
      const profile = p.spec.bfdProfile && profiles.find((b) => b.metadata.name === p.spec.bfdProfile && (b.metadata.namespace ?? 'default') === namespace);
      return {
        name: p.metadata.name,
        namespace,
        peerAddress: p.spec.peerAddress,
        ...bgpTimers(p.spec.holdTime, p.spec.keepaliveTime),
        ...(profile && { bfd: bfdProfileOf(profile) }),
      };
    });
}
