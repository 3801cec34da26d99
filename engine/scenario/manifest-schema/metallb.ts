/** MetalLB's resources (metallb.io): IPAddressPool, L2Advertisement, BGPAdvertisement, BGPPeer, BFDProfile specs. */
import { IPV4_PATTERN } from '../../network/ipv4.js';
import { parseAddressRange } from '../../network/metallb-pools.js';
import { errors } from '../errors.js';
import { dnsSubdomain, labels } from '../formats.js';
import { arr, at, bool, duration, int, obj, refine, str } from '../schema.js';

const keep = 'keep' as const;

export const ipAddressPoolSpec = refine(
  obj(
    // api/v1beta1/ipaddresspool_types.go: autoAssign defaults to true, avoidBuggyIPs to false.
    { addresses: arr(str({ minLength: 1 }), { minItems: 1 }), autoAssign: bool().default(true), avoidBuggyIPs: bool().default(false) },
    { required: ['addresses'], additional: keep },
  ),
  (spec, ctx) => {
    spec.addresses.forEach((a, i) => {
      if (parseAddressRange(a) === undefined) {
        throw errors.invalidValue(ctx.file, at(at(ctx, 'addresses'), i).path, 'an IPv4 CIDR (192.168.1.240/28) or range (192.168.1.240-192.168.1.250)', a);
      }
    });
    return spec;
  },
);

/** L2Advertisement and BGPAdvertisement specs: the fields kubesim reads are the same in both. */
export const advertisementSpec = () =>
  obj(
    {
      ipAddressPools: arr(dnsSubdomain()),
      nodeSelectors: arr(obj({ matchLabels: labels() }, { additional: keep })),
    },
    { additional: keep },
  );

// metallb api/v1beta2/bgppeer_types.go: myASN, peerASN and peerAddress are required; holdTime and
// keepaliveTime Go durations; bfdProfile the name of a BFDProfile (checked in manifests.ts).
export const bgpPeerSpec = refine(
  obj(
    {
      myASN: int({ min: 0, max: 4294967295 }),
      peerASN: int({ min: 0, max: 4294967295 }),
      peerAddress: str({ minLength: 1 }),
      holdTime: duration(),
      keepaliveTime: duration(),
      bfdProfile: str({ minLength: 1 }),
    },
    { required: ['myASN', 'peerASN', 'peerAddress'], additional: keep },
  ),
  (spec, ctx) => {
    if (!IPV4_PATTERN.test(spec.peerAddress)) throw errors.invalidValue(ctx.file, at(ctx, 'peerAddress').path, 'an IPv4 address', spec.peerAddress);
    // internal/config/config.go parseTimers: the hold time (given, or 3 x keepaliveTime), in whole seconds, is 0 or >= 3s; the keepalive is not above it.
    const { holdTime: ht, keepaliveTime: ka } = spec;
    const hold = ht ?? (ka !== undefined ? 3 * ka : undefined);
    if (hold !== undefined && Math.trunc(hold) !== 0 && Math.trunc(hold) < 3) {
      const field = ht !== undefined ? 'holdTime' : 'keepaliveTime';
      throw errors.invalidValue(ctx.file, at(ctx, field).path, 'a hold time of 0 or at least 3s (MetalLB: "must be 0 or >=3s")', `${hold}s`);
    }
    if (ht !== undefined && ka !== undefined && ka > ht) {
      throw errors.invalidValue(ctx.file, at(ctx, 'keepaliveTime').path, `a keepaliveTime not above holdTime (${ht}s)`, `${ka}s`);
    }
    return spec;
  },
);

/** bfdprofile_types.go: intervals in milliseconds 10-60000, detectMultiplier 2-255, minimumTtl 1-254 (kubebuilder markers; internal/config bfdIntFromConfig). */
const bfdInterval = () => int({ min: 10, max: 60000 });
export const bfdProfileSpec = () =>
  obj(
    {
      receiveInterval: bfdInterval(),
      transmitInterval: bfdInterval(),
      detectMultiplier: int({ min: 2, max: 255 }),
      echoInterval: bfdInterval(),
      echoMode: bool(),
      passiveMode: bool(),
      minimumTtl: int({ min: 1, max: 254 }),
    },
    { additional: keep },
  );
