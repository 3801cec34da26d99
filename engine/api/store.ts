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
import { randomSuffix, uidFromCounter } from './names.js';
import { DEFAULT_NAMESPACE, type Kind, type ObjectOfKind, type StoredObject } from './types.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export type WatchHandler<K extends Kind> = (type: WatchEventType, object: ObjectOfKind<K>) => void;

export interface ApiServerParams {
  writeLatency: number;
  watchDelay: number;
}

/** Why a write did not apply; delivered to the writer's callback, as the API would answer. */
export type WriteResult = 'ok' | 'AlreadyExists' | 'NotFound' | 'Unavailable';

export function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

const CLUSTER_SCOPED: ReadonlySet<Kind> = new Set<Kind>(['Node', 'Namespace']);

export class ApiServer {
  private readonly objects = new Map<Kind, Map<string, StoredObject>>();
  private readonly watchers = new Map<Kind, WatchHandler<any>[]>();
  private readonly nameRng: Rng;
  private revision = 0;
  private uidCounter = 0;
  /** When false (API server stopped), writes are refused and nothing propagates. */
  available = true;

  constructor(
    private readonly sim: Simulation,
    private readonly params: ApiServerParams,
  ) {
    this.nameRng = sim.stream('apiserver/names');
  }

  get<K extends Kind>(kind: K, namespace: string | undefined, name: string): ObjectOfKind<K> | undefined {
    return this.bucket(kind).get(objectKey(this.scope(kind, namespace), name)) as ObjectOfKind<K> | undefined;
  }

  /** Committed objects of a kind, in creation order (deterministic). */
  list<K extends Kind>(kind: K, namespace?: string): ObjectOfKind<K>[] {
    const all = [...this.bucket(kind).values()] as ObjectOfKind<K>[];
    return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
  }

  watch<K extends Kind>(kind: K, handler: WatchHandler<K>): void {
    let list = this.watchers.get(kind);
    if (!list) this.watchers.set(kind, (list = []));
    list.push(handler);
  }

  /**
   * Creates an object. With `metadata.generateName` and no name, the name is generateName plus
   * five random characters, as the apiserver's SimpleNameGenerator makes it; the name is fixed
   * now (returned) so the writer can refer to it.
   */
  create<T extends StoredObject>(object: T, done?: (result: WriteResult, object: T) => void): string {
    const meta = object.metadata;
    if (!meta.name && meta.generateName) meta.name = meta.generateName + randomSuffix(this.nameRng);
    if (!CLUSTER_SCOPED.has(object.kind)) meta.namespace ??= DEFAULT_NAMESPACE;
    this.write(() => {
      const bucket = this.bucket(object.kind);
      const key = objectKey(meta.namespace, meta.name);
      if (bucket.has(key)) return done?.('AlreadyExists', object);
      meta.uid ??= uidFromCounter(++this.uidCounter);
      meta.creationTimestamp = this.sim.now;
      meta.generation = 1;
      meta.resourceVersion = String(++this.revision);
      bucket.set(key, object);
      this.notify('ADDED', object);
      done?.('ok', object);
    }, () => done?.('Unavailable', object));
    return meta.name;
  }

  /**
   * Changes a committed object: `mutate` runs at commit time on the current object, so
   * concurrent writers never overwrite each other's fields (a PATCH, not a PUT).
   * Return false from `mutate` to make the write a no-op.
   */
  update<K extends Kind>(
    kind: K,
    namespace: string | undefined,
    name: string,
    mutate: (object: ObjectOfKind<K>) => boolean | void,
    done?: (result: WriteResult) => void,
  ): void {
    this.write(() => {
      const object = this.get(kind, namespace, name);
      if (!object) return done?.('NotFound');
      if (mutate(object) === false) return done?.('ok');
      object.metadata.resourceVersion = String(++this.revision);
      this.notify('MODIFIED', object);
      done?.('ok');
    }, () => done?.('Unavailable'));
  }

  /** Removes an object from storage (graceful pod deletion is an update of deletionTimestamp first). */
  delete(kind: Kind, namespace: string | undefined, name: string, done?: (result: WriteResult) => void): void {
    this.write(() => {
      const bucket = this.bucket(kind);
      const key = objectKey(this.scope(kind, namespace), name);
      const object = bucket.get(key);
      if (!object) return done?.('NotFound');
      bucket.delete(key);
      object.metadata.resourceVersion = String(++this.revision);
      this.notify('DELETED', object);
      done?.('ok');
    }, () => done?.('Unavailable'));
  }

  private write(commit: () => void, refused: () => void): void {
    if (!this.available) {
      refused();
      return;
    }
    this.sim.after(this.params.writeLatency, () => (this.available ? commit() : refused()));
  }

  private notify(type: WatchEventType, object: StoredObject): void {
    const handlers = this.watchers.get(object.kind);
    if (!handlers) return;
    this.sim.after(this.params.watchDelay, () => {
      for (const handler of handlers) handler(type, object);
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
