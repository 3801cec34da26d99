/**
 * The API server with etcd behind it, as one store.
 *
 * Every change is a write that commits after a modelled write latency (DEFAULTS.apiServer);
 * commits happen in the order the writes were made (equal latencies, FIFO event order).
 * At commit the object gets its resourceVersion (one global counter, as etcd's revision) and,
 * on create, uid and creationTimestamp. Watchers are told after a further watch delay, as an
 * informer sees a change some milliseconds after etcd has it.
 *
 * Components act only through this store: they write, and they react to watch events. Reads
 * (`get`, `list`) return committed state, standing in for an informer's cache; the watch delay
 * is what keeps a component from reacting to a change before it could have seen it.
 *
 * Watch events carry the live object, so a watcher sees the newest committed state, as an
 * informer's cache does once it has caught up; DELETED carries the object as it was last.
 */
import type { Simulation } from '../core/simulation.js';
import type { Rng } from '../core/rng.js';
import { admitPod } from './admission.js';
import { canonicalJson, randomSuffix, uidFromCounter } from './names.js';
import { ServiceAllocators, type ServiceRefusal } from './service-alloc.js';
import { setDefaultsService } from './service-defaults.js';
import { DEFAULT_SERVICE_CIDR, ServiceIPRange } from './service-ip-range.js';
import { prepareServiceUpdate } from './service-update.js';
import { validateServiceTypeFields } from './service-validation.js';
import { DEFAULT_NAMESPACE, type Kind, type ObjectOfKind, type Service, type StoredObject } from './types.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export type WatchHandler<K extends Kind> = (type: WatchEventType, object: ObjectOfKind<K>) => void;

export interface ApiServerParams {
  writeLatency: number;
  watchDelay: number;
  /** --service-cluster-ip-range (default kubeadm's 10.96.0.0/12). */
  serviceCIDR?: string;
}

/** Why a write did not apply; delivered to the writer's callback, as the API would answer. */
export type WriteResult = 'ok' | 'AlreadyExists' | 'NotFound' | 'Conflict' | 'Forbidden' | ServiceRefusal['reason'];

export function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

const CLUSTER_SCOPED: ReadonlySet<Kind> = new Set<Kind>(['Node', 'Namespace', 'PersistentVolume', 'StorageClass', 'PriorityClass']);
/** Kinds whose generation the API server bumps on every spec change (their status reports observedGeneration). */
const GENERATION_KINDS: ReadonlySet<Kind> = new Set<Kind>(['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'PodDisruptionBudget']);
/**
 * Kinds created with metadata.generation 1: those whose registry strategy sets it in
 * PrepareForCreate (apps, autoscaling, networking Ingress/IngressClass, discovery EndpointSlice)
 * and custom resources (MetalLB's). Services, Pods (before 1.33), Nodes, volumes, ConfigMaps,
 * Namespaces, StorageClasses, PriorityClasses and Leases have none, as `kubectl get -o yaml` shows.
 */
const CREATE_GENERATION_KINDS: ReadonlySet<Kind> = new Set<Kind>([
  ...GENERATION_KINDS,
  'HorizontalPodAutoscaler',
  'Ingress',
  'IngressClass',
  'EndpointSlice',
  'IPAddressPool',
  'L2Advertisement',
  'BGPAdvertisement',
  'BGPPeer',
  'BFDProfile',
]);

export class ApiServer {
  private readonly objects = new Map<Kind, Map<string, StoredObject>>();
  private readonly watchers = new Map<Kind, WatchHandler<any>[]>();
  private readonly nameRng: Rng;
  /** The Service registry's cluster IP allocator (engine/api/service-alloc.ts). */
  readonly serviceAllocators: ServiceAllocators;
  private revision = 0;
  private uidCounter = 0;
  /** False while the API server is stopped (see `stop`). */
  available = true;
  /** Writes made while stopped, committed in order on `start`. */
  private parked: (() => void)[] = [];

  constructor(
    private readonly sim: Simulation,
    private readonly params: ApiServerParams,
  ) {
    this.nameRng = sim.stream('apiserver/names');
    this.serviceAllocators = new ServiceAllocators(new ServiceIPRange(params.serviceCIDR ?? DEFAULT_SERVICE_CIDR, sim.stream('apiserver/service-ips')));
  }

  get<K extends Kind>(kind: K, namespace: string | undefined, name: string): ObjectOfKind<K> | undefined {
    return this.bucket(kind).get(objectKey(this.scope(kind, namespace), name)) as ObjectOfKind<K> | undefined;
  }

  /** Committed objects of a kind, in creation order (deterministic). */
  list<K extends Kind>(kind: K, namespace?: string): ObjectOfKind<K>[] {
    const all = [...this.bucket(kind).values()] as ObjectOfKind<K>[];
    return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
  }

  /** Subscribes to changes of a kind; returns the function that ends the watch. */
  watch<K extends Kind>(kind: K, handler: WatchHandler<K>): () => void {
    let list = this.watchers.get(kind);
    if (!list) this.watchers.set(kind, (list = []));
    list.push(handler);
    return () => {
      const current = this.watchers.get(kind)!;
      // Replaced, not spliced: a notification being delivered keeps iterating its own array.
      this.watchers.set(kind, current.filter((h) => h !== handler));
    };
  }

  /**
   * Creates an object. With `metadata.generateName` and no name, the name is generateName plus
   * five random characters, as the apiserver's SimpleNameGenerator makes it; the name is fixed
   * now (returned) so the writer can refer to it.
   */
  create<T extends StoredObject>(object: T, done?: (result: WriteResult, object: T, message?: string) => void): string {
    const meta = object.metadata;
    if (!meta.name && meta.generateName) meta.name = meta.generateName + randomSuffix(this.nameRng);
    if (object.kind === 'Pod') {
      const refused = admitPod(object, this);
      if (refused !== undefined) {
        // Admission rejects at once, before anything is stored (the API answers 403 Forbidden).
        this.sim.after(this.params.writeLatency, () => done?.('Forbidden', object, refused));
        return meta.name;
      }
    }
    if (object.kind === 'Service') {
      const refused = this.admitService(object);
      if (refused !== undefined) {
        this.sim.after(this.params.writeLatency, () => done?.(refused.reason, object, refused.message));
        return meta.name;
      }
    }
    if (!CLUSTER_SCOPED.has(object.kind)) meta.namespace ??= DEFAULT_NAMESPACE;
    this.write(() => {
      const bucket = this.bucket(object.kind);
      const key = objectKey(meta.namespace, meta.name);
      if (bucket.has(key)) {
        // The create failed after allocating: the registry's transaction gives the address back.
        if (object.kind === 'Service') this.serviceAllocators.release(object);
        return done?.('AlreadyExists', object);
      }
      meta.uid ??= uidFromCounter(++this.uidCounter);
      meta.creationTimestamp = this.sim.now;
      if (CREATE_GENERATION_KINDS.has(object.kind)) meta.generation = 1;
      meta.resourceVersion = String(++this.revision);
      bucket.set(key, object);
      this.notify('ADDED', object);
      done?.('ok', object);
    });
    return meta.name;
  }

  /**
   * Changes a committed object: `mutate` runs at commit time on the current object, so
   * concurrent writers never overwrite each other's fields (a PATCH); with `resourceVersion`
   * it is an Update that fails with Conflict when someone else wrote first.
   * Return false from `mutate` to make the write a no-op.
   */
  update<K extends Kind>(
    kind: K,
    namespace: string | undefined,
    name: string,
    mutate: (object: ObjectOfKind<K>) => boolean | void,
    done?: (result: WriteResult, message?: string) => void,
    /** Optimistic concurrency, as an Update carrying metadata.resourceVersion: refused with Conflict if the object changed since. */
    resourceVersion?: string,
  ): void {
    this.write(() => {
      const object = this.get(kind, namespace, name);
      if (!object) return done?.('NotFound');
      if (resourceVersion !== undefined && object.metadata.resourceVersion !== resourceVersion) return done?.('Conflict');
      const specBefore = GENERATION_KINDS.has(kind) ? canonicalJson((object as { spec?: unknown }).spec) : '';
      const serviceBefore = object.kind === 'Service' ? structuredClone(object) : undefined;
      if (mutate(object) === false) return done?.('ok');
      if (serviceBefore) {
        const refused = this.updateService(serviceBefore as unknown as Service, object as unknown as Service);
        if (refused !== undefined) return done?.(refused.reason, refused.message);
      }
      // metadata.generation counts changes of the desired state (spec), as the registry strategies do.
      if (GENERATION_KINDS.has(kind) && canonicalJson((object as { spec?: unknown }).spec) !== specBefore) {
        object.metadata.generation = (object.metadata.generation ?? 1) + 1;
      }
      object.metadata.resourceVersion = String(++this.revision);
      this.notify('MODIFIED', object);
      done?.('ok');
    });
  }

  /** Removes an object from storage (graceful pod deletion is an update of deletionTimestamp first). */
  delete(kind: Kind, namespace: string | undefined, name: string, done?: (result: WriteResult) => void): void {
    this.write(() => {
      const bucket = this.bucket(kind);
      const key = objectKey(this.scope(kind, namespace), name);
      const object = bucket.get(key);
      if (!object) return done?.('NotFound');
      bucket.delete(key);
      if (object.kind === 'Service') this.serviceAllocators.release(object);
      object.metadata.resourceVersion = String(++this.revision);
      this.notify('DELETED', object);
      done?.('ok');
    });
  }

  /**
   * Stops the API server (a fault action): writes wait, as clients retry until it is back, and
   * nothing propagates, while running pods keep serving. kubectl does not retry: it checks
   * `available` and reports the refused connection itself.
   */
  stop(): void {
    this.available = false;
  }

  /** Starts it again: the writes that waited commit in the order they were made. */
  start(): void {
    if (this.available) return;
    this.available = true;
    const parked = this.parked;
    this.parked = [];
    for (const commit of parked) this.write(commit);
  }

  /**
   * Server-side dry runs for kubectl, which prints the API's answer when it runs a command:
   * whether creating this Service would be refused (nothing is reserved), and the Service as an
   * update of `current` to `desired` would store it (what `kubectl apply` compares) or why it
   * would be refused. Neither argument is changed.
   */
  dryRunServiceCreate(svc: Service): ServiceRefusal | undefined {
    return this.admitService(structuredClone(svc), true);
  }

  dryRunServiceUpdate(current: Service, desired: Service): { stored: Service; refused?: ServiceRefusal } {
    const stored = structuredClone(desired);
    const refused = this.prepareServiceUpdate(structuredClone(current), stored, true);
    return refused === undefined ? { stored } : { stored, refused };
  }

  /**
   * A new Service as the registry stores it: core/v1 defaults, status cleared (the strategy's
   * PrepareForCreate), its cluster IP allocated. The refusal, if the allocation fails.
   */
  private admitService(svc: Service, dryRun = false): ServiceRefusal | undefined {
    setDefaultsService(svc);
    svc.status = { loadBalancer: {} };
    // Validated before anything is allocated, so that a refusal has nothing to give back.
    return validateServiceTypeFields(svc) ?? this.serviceAllocators.allocateCreate(svc, dryRun);
  }

  /**
   * The registry's update of a Service (engine/api/service-update.ts: the node ports the update
   * left out kept, the fields its type no longer uses dropped, the defaults, the validation of
   * what the user set anyway), then the cluster IP allocator.
   * Upstream allocates (BeginUpdate) before it validates (BeforeUpdate); kubesim validates first,
   * so that a refusal has nothing to give back: only a write refused for both reasons reports
   * the other one. Node ports are not allocated here (kubectl takes free ones for the write, see
   * service-node-ports.ts); the ones the Service drops are free once the write commits.
   */
  private prepareServiceUpdate(before: Service, svc: Service, dryRun: boolean): ServiceRefusal | undefined {
    return prepareServiceUpdate(before, svc) ?? this.serviceAllocators.allocateUpdate(before, svc, dryRun);
  }

  /** An updated Service: defaults and allocation as on an update; on a refusal the stored object is put back as it was. */
  private updateService(before: Service, svc: Service): ServiceRefusal | undefined {
    const refused = this.prepareServiceUpdate(before, svc, false);
    if (refused !== undefined) {
      for (const key of Object.keys(svc)) delete (svc as unknown as Record<string, unknown>)[key];
      Object.assign(svc, before);
    }
    return refused;
  }

  private write(commit: () => void): void {
    if (!this.available) {
      this.parked.push(commit);
      return;
    }
    this.sim.after(this.params.writeLatency, () => (this.available ? commit() : this.parked.push(commit)));
  }

  private notify(type: WatchEventType, object: StoredObject): void {
    if (!this.watchers.get(object.kind)?.length) return;
    this.sim.after(this.params.watchDelay, () => {
      // The watchers at delivery time: one that unsubscribed meanwhile is not called.
      for (const handler of this.watchers.get(object.kind)!) handler(type, object);
    });
  }

  private scope(kind: Kind, namespace: string | undefined): string | undefined {
    return CLUSTER_SCOPED.has(kind) ? undefined : (namespace ?? DEFAULT_NAMESPACE);
  }

  private bucket(kind: Kind): Map<string, StoredObject> {
    let bucket = this.objects.get(kind);
    if (!bucket) this.objects.set(kind, (bucket = new Map()));
    return bucket;
  }
}
