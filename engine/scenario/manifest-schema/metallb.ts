/** MetalLB's resources (metallb.io): IPAddressPool, L2Advertisement, BGPAdvertisement, BGPPeer specs. */
import { IPV4_PATTERN } from '../../network/ipv4.js';
import { parseAddressRange } from '../../network/metallb-config.js';
import { errors } from '../errors.js';
import { dnsSubdomain, labels } from '../formats.js';
import { arr, at, bool, duration, int, obj, refine, str } from '../schema.js';

const keep = 'keep' as const;

export const ipAddressPoolSpec = refine(
  obj(
    { addresses: arr(str({ minLength: 1 }), { minItems: 1 }), autoAssign: bool().default(true) },
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

// metallb api/v1beta2/bgppeer_types.go: myASN, peerASN and peerAddress are required; holdTime a Go duration.
export const bgpPeerSpec = refine(
  obj(
    {
      myASN: int({ min: 0, max: 4294967295 }),
      peerASN: int({ min: 0, max: 4294967295 }),
      peerAddress: str({ minLength: 1 }),
      holdTime: duration({ exclusiveMin: 0 }),
    },
    { required: ['myASN', 'peerASN', 'peerAddress'], additional: keep },
  ),
  (spec, ctx) => {
    if (!IPV4_PATTERN.test(spec.peerAddress)) throw errors.invalidValue(ctx.file, at(ctx, 'peerAddress').path, 'an IPv4 address', spec.peerAddress);
    return spec;
  },
);
