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
