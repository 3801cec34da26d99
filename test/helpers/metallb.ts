/**
 * MetalLB manifests for test scenarios (appended to `testScenarioYaml`'s `extraManifests` or
 * spliced into a manifests list): the metallb-system Namespace, the pool `lab`
 * (192.168.1.240-250) and its advertisement, L2 or BGP; `more` adds manifests at the end
 * (BGPPeers, BFDProfiles), as YAML list items indented like the rest.
 */
export function metallbManifests(mode: 'L2' | 'BGP', more = ''): string {
  return `    - { apiVersion: v1, kind: Namespace, metadata: { name: metallb-system } }
    - apiVersion: metallb.io/v1beta1
      kind: IPAddressPool
      metadata: { name: lab, namespace: metallb-system }
      spec: { addresses: [192.168.1.240-192.168.1.250] }
    - apiVersion: metallb.io/v1beta1
      kind: ${mode === 'L2' ? 'L2Advertisement' : 'BGPAdvertisement'}
      metadata: { name: lab, namespace: metallb-system }
      spec: { ipAddressPools: [lab] }
${more}`;
}

/** A BGPPeer `name` in metallb-system with `spec` (flow-mapping body, without braces). */
export function bgpPeer(name: string, spec: string): string {
  return `    - apiVersion: metallb.io/v1beta2
      kind: BGPPeer
      metadata: { name: ${name}, namespace: metallb-system }
      spec: { ${spec} }
`;
}

/** An IPAddressPool `name` in metallb-system with `spec` (flow-mapping body, without braces), as a YAML list item. */
export function ipAddressPool(name: string, spec: string): string {
  return `    - apiVersion: metallb.io/v1beta1
      kind: IPAddressPool
      metadata: { name: ${name}, namespace: metallb-system }
      spec: { ${spec} }
`;
}

/** An advertisement of `pools` (every pool when empty) from every node, L2 or BGP. */
export function advertisement(mode: 'L2' | 'BGP', name: string, pools: readonly string[] = []): string {
  return `    - apiVersion: metallb.io/v1beta1
      kind: ${mode === 'L2' ? 'L2Advertisement' : 'BGPAdvertisement'}
      metadata: { name: ${name}, namespace: metallb-system }
      spec: { ${pools.length ? `ipAddressPools: [${pools.join(', ')}]` : ''} }
`;
}

/** The metallb-system Namespace, `pools`, then `advertisements` (default an L2Advertisement of every pool): MetalLB with other pools than `metallbManifests`' one. */
export function metallbWithPools(pools: string, advertisements = advertisement('L2', 'all')): string {
  return `    - { apiVersion: v1, kind: Namespace, metadata: { name: metallb-system } }
${pools}${advertisements}`;
}

/** A LoadBalancer Service `name` in front of the test scenario's `web` pods, with `annotations` and more `spec` fields (flow-mapping body). */
export function loadBalancerService(name: string, annotations: Readonly<Record<string, string>> = {}, spec = ''): string {
  const meta = Object.entries(annotations).map(([k, v]) => `"${k}": "${v}"`).join(', ');
  return `    - apiVersion: v1
      kind: Service
      metadata: { name: ${name}${meta ? `, annotations: { ${meta} }` : ''} }
      spec: { type: LoadBalancer, selector: { app: web }, ports: [{ port: 80 }]${spec ? `, ${spec}` : ''} }
`;
}
