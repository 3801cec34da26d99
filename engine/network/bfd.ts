/**
 * BFD (RFC 5880) between a MetalLB speaker and the router: how long the router takes to declare
 * a powered-off node's session down, which is when it withdraws the node's routes (FRR's
 * `neighbor X bfd`, rendered by MetalLB internal/bgp/frr/templates/neighborsession.tmpl for a
 * BGPPeer with `bfdProfile`).
 *
 * The speaker's side is the metallb.io/v1beta1 BFDProfile (api/v1beta1/bfdprofile_types.go);
 * unset fields are not rendered (internal/bgp/frr/templates/bfdprofile.tmpl), so FRR bfdd's
 * defaults apply. The router's side is not in any MetalLB object: it is a scenario assumption
 * (`target.routerBfd`), by default the same FRR defaults.
 */

/** A BFDProfile's spec with MetalLB's/FRR bfdd's defaults filled in; intervals in seconds. */
export interface BfdProfile {
  receiveInterval: number;
  transmitInterval: number;
  detectMultiplier: number;
  echoInterval: number;
  echoMode: boolean;
  passiveMode: boolean;
  minimumTtl: number;
}

/**
 * bfdprofile_types.go documents 300 ms receive/transmit and 50 ms echo intervals; the detect
 * multiplier (unset in the CRD) and the minimum TTL are FRR bfdd's defaults, 3 and 254.
 */
export const BFD_PROFILE_DEFAULTS: Readonly<BfdProfile> = Object.freeze({
  receiveInterval: 0.3,
  transmitInterval: 0.3,
  detectMultiplier: 3,
  echoInterval: 0.05,
  echoMode: false,
  passiveMode: false,
  minimumTtl: 254,
});

/** The router's BFD parameters (RFC 5880 names): a scenario assumption, FRR bfdd's defaults unless set. */
export interface RouterBfd {
  /** bfd.RequiredMinRxInterval: the slowest the router accepts control packets. */
  requiredMinRxInterval: number;
  /** bfd.DesiredMinTxInterval: how often the router would send (the speaker's detection, not modelled). */
  desiredMinTxInterval: number;
  /** bfd.DetectMult the router sends (the speaker's detection of the router, not modelled). */
  detectMultiplier: number;
}

export const ROUTER_BFD_DEFAULTS: Readonly<RouterBfd> = Object.freeze({ requiredMinRxInterval: 0.3, desiredMinTxInterval: 0.3, detectMultiplier: 3 });

/**
 * RFC 5880 section 6.8.7: a system sends control packets every max(its bfd.DesiredMinTxInterval,
 * the remote's Required Min RX Interval), here the speaker's transmitInterval and the router's
 * requiredMinRxInterval. (The 75-100 % jitter of that section is left out: it only moves the
 * detection earlier by a fraction of one interval.)
 */
export function speakerTransmitInterval(speaker: BfdProfile, router: RouterBfd): number {
  return Math.max(speaker.transmitInterval, router.requiredMinRxInterval);
}

/** RFC 5880 section 4.1 carries the intervals in microseconds: products in whole microseconds, so that 3 x 300 ms is 0.9 s exactly. */
const US = 1e6;

/**
 * RFC 5880 section 6.8.4, Asynchronous mode: the router's Detection Time is the Detect Mult it
 * received from the speaker (the profile's detectMultiplier) times the agreed transmit interval
 * of the speaker, the greater of the router's bfd.RequiredMinRxInterval and the speaker's last
 * received Desired Min TX Interval. The session goes down when no control packet arrived for that
 * long. Echo mode, passive mode and the minimum TTL change who starts the session, how the
 * speaker detects the router and which packets are accepted, not this time.
 */
export function routerDetectionTime(speaker: BfdProfile, router: RouterBfd): number {
  return (speaker.detectMultiplier * Math.round(speakerTransmitInterval(speaker, router) * US)) / US;
}
