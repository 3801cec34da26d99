/**
 * `spec.kubeProxy`: the kube-proxy of every node, with KubeProxyConfiguration's field names
 * (mode, ipvs.scheduler, minSyncPeriod, syncPeriod) and the model's cost parameters. Unset
 * fields keep KUBE_PROXY_DEFAULTS (engine/network/kube-proxy-config.ts, cited there).
 */
import { IPVS_SCHEDULERS, KUBE_PROXY_DEFAULTS as D, PROXY_MODES, type KubeProxyConfig } from '../network/kube-proxy-config.js';
import { duration, enumOf, obj, refine } from './schema.js';

const seconds = (text: string, value: number) => duration().describe(`${text} (default ${value * 1e6} microseconds).`);

export const kubeProxySpec = () =>
  refine(
    obj({
      mode: enumOf([...PROXY_MODES]).describe(`Proxy mode (default ${D.mode}).`),
      ipvs: obj({ scheduler: enumOf([...IPVS_SCHEDULERS]).describe(`IPVS scheduler (default ${D.ipvs.scheduler}).`) }),
      minSyncPeriod: duration().describe(`Shortest time between rule syncs (default ${D.minSyncPeriod}s).`),
      syncPeriod: duration({ exclusiveMin: 0 }).describe(`Periodic resync (default ${D.syncPeriod}s).`),
      costs: obj({
        iptablesPerRule: seconds('iptables: time to match one rule, per rule a new connection traverses', D.costs.iptablesPerRule),
        constantLookup: seconds('ipvs/nftables: lookup time per new connection', D.costs.constantLookup),
        syncBase: seconds('Fixed part of a rule sync', D.costs.syncBase),
        iptablesSyncPerRule: seconds('iptables: sync time per rule in the ruleset', D.costs.iptablesSyncPerRule),
        perChange: seconds('ipvs/nftables: sync time per changed Service', D.costs.perChange),
      }).describe('Model costs, as durations (20ns, 2us, 10ms).'),
    }),
    (k): KubeProxyConfig => ({
      mode: k.mode ?? D.mode,
      ipvs: { scheduler: k.ipvs?.scheduler ?? D.ipvs.scheduler },
      minSyncPeriod: k.minSyncPeriod ?? D.minSyncPeriod,
      syncPeriod: k.syncPeriod ?? D.syncPeriod,
      costs: { ...D.costs, ...Object.fromEntries(Object.entries(k.costs ?? {}).filter(([, v]) => v !== undefined)) },
    }),
  ).describe('kube-proxy on every node: {mode: iptables|ipvs|nftables, ipvs: {scheduler}, minSyncPeriod, syncPeriod, costs}.');
