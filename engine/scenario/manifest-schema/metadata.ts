/**
 * ObjectMeta and the envelope every object shares (apiVersion, kind, metadata), with the
 * apiserver's default namespace `default` for namespaced kinds.
 */
import { DEFAULT_NAMESPACE, SUPPORTED_KINDS } from '../../api/types.js';
import { dnsLabel, dnsSubdomain, labels } from '../formats.js';
import { literal, obj, type Schema } from '../schema.js';
import { annotations } from './annotations.js';

const keep = 'keep' as const;

const metadata = (namespaced: boolean) =>
  obj(
    {
      name: dnsSubdomain(),
      namespace: namespaced ? dnsLabel().default(DEFAULT_NAMESPACE) : dnsLabel(),
      labels: labels(),
      annotations: annotations(),
    },
    { required: ['name'], additional: keep },
  );

/** Kinds without a namespace (kubectl api-resources NAMESPACED=false). */
const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set(['Namespace', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'IngressClass']);

/** An object of `kind`: its apiVersion, its metadata and the fields `props` of the kind. */
export const kindShape = <const Kind extends keyof typeof SUPPORTED_KINDS, P extends Record<string, Schema<unknown>>>(kind: Kind, props: P) =>
  obj(
    { apiVersion: literal(SUPPORTED_KINDS[kind]), kind: literal(kind), metadata: metadata(!CLUSTER_SCOPED_KINDS.has(kind)), ...props },
    { required: ['apiVersion', 'kind', 'metadata'], additional: keep },
  );
