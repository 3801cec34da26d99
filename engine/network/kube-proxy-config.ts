/**
 * kube-proxy's configuration as a scenario sets it (`spec.kubeProxy`), with the upstream
 * defaults and the model's cost parameters. Field names follow KubeProxyConfiguration
 * (kubeproxy.config.k8s.io/v1alpha1): `mode`, `ipvs.scheduler`, `minSyncPeriod`, `syncPeriod`.
 */

export const PROXY_MODES = ['iptables', 'ipvs', 'nftables'] as const;
export type ProxyMode = (typeof PROXY_MODES)[number];

/**
 * The IPVS schedulers kube-proxy accepts (`--ipvs-scheduler`; pkg/proxy/ipvs/proxier.go
 * defaults an empty value to rr). Semantics from the Linux kernel's net/netfilter/ip_vs_*.c
 * (ipvsadm(8) describes them): see engine/network/ipvs-schedulers.ts.
 */
export const IPVS_SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc', 'sh', 'dh', 'sed', 'nq', 'mh'] as const;
export type IpvsScheduler = (typeof IPVS_SCHEDULERS)[number];

export interface ProxyCosts {
  /**
   * iptables: seconds per rule a new connection's first packet is matched against. The
   * KUBE-SERVICES chain is one rule per Service port, tested in order, so the cost grows with
   * the number of Services (kubernetes.io/blog/2025/02/28/nftables-kube-proxy: "O(n) in the
   * number of Services"); then the Service's KUBE-SVC chain is walked to the chosen endpoint.
   * Default 20 ns: the order of one linear netfilter rule match on a current core (an estimate,
   * override it with a measurement of your own kernel).
   */
  iptablesPerRule: number;
  /**
   * ipvs / nftables: seconds per new connection, whatever the number of Services (a hash-table
   * lookup, IPVS virtual servers; nftables verdict maps). Default 2 microseconds.
   */
  constantLookup: number;
  /**
   * Rule sync duration: iptables rewrites its ruleset with iptables-restore, so a sync takes
   * `syncBase + iptablesSyncPerRule x total rules`; IPVS and nftables apply incremental
   * changes, `syncBase + perChange x changed Services`. Calibration: the Kubernetes blog
   * "IPVS-Based In-Cluster Load Balancing Deep Dive" (2018) measured the time to add one rule:
   * IPVS 2 ms whatever the number of Services (so `syncBase` 2 ms), iptables 11 min at 5,000
   * Services (40,000 rules) and 5 h at 20,000 (160,000 rules) with the iptables of the day.
   * Today's iptables-restore is far faster (and kube-proxy >= 1.26 restores only changed
   * chains, kubernetes.io/blog/2025/02/28/nftables-kube-proxy); the defaults of 5 microseconds
   * per rule (1 s for 200,000 rules) and 0.1 ms per changed Service (a few netlink messages)
   * are estimates, to be overridden with a measurement of your own nodes.
   */
  syncBase: number;
  iptablesSyncPerRule: number;
  perChange: number;
}

export interface KubeProxyConfig {
  mode: ProxyMode;
  ipvs: { scheduler: IpvsScheduler };
  /** Shortest time between two rule syncs (BoundedFrequencyRunner minInterval). */
  minSyncPeriod: number;
  /** Longest time between two rule syncs (maxInterval): a periodic full resync. */
  syncPeriod: number;
  costs: ProxyCosts;
}

/** sessionAffinityConfig.clientIP.timeoutSeconds default (core/v1 DefaultClientIPServiceAffinitySeconds). */
export const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

export const KUBE_PROXY_DEFAULTS: KubeProxyConfig = {
  /** kube-proxy's default mode on Linux. */
  mode: 'iptables',
  ipvs: { scheduler: 'rr' },
  /**
   * pkg/proxy/apis/config/v1alpha1/defaults.go SetDefaults_KubeProxyConfiguration:
   * iptables.minSyncPeriod 1 s and iptables/ipvs syncPeriod 30 s.
   */
  minSyncPeriod: 1,
  syncPeriod: 30,
  costs: {
    iptablesPerRule: 20e-9,
    constantLookup: 2e-6,
    syncBase: 0.002,
    iptablesSyncPerRule: 5e-6,
    perChange: 0.0001,
  },
};
