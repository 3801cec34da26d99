/**
 * The pending-event set: a binary min-heap on typed arrays, ordered by (time, sequence).
 *
 * Invariants:
 *  - `popMin` returns events in non-decreasing time; among equal times, in insertion order
 *    (the sequence number is a strictly increasing counter), so runs are deterministic.
 *  - Each pending event lives in a slot (an integer id); the slot holds its payload (an integer
 *    the owner interprets). A handle names (slot, generation), so a handle kept after its event
 *    fired or was cancelled can never cancel the slot's next occupant.
 *  - Cancellation is lazy: the slot is marked dead and skipped when it reaches the top. When dead
 *    entries outnumber live ones the heap is rebuilt without them, so memory stays O(live).
 *
 * Measured here (bench/hold.ts): an array-of-objects heap falls far behind at 10^6 pending
 * events; this layout keeps every comparison inside two Float64Arrays.
 */

const SLOT_BITS = 24;
const SLOT_LIMIT = 1 << SLOT_BITS; // 16.7 M pending events
const GEN_LIMIT = 2 ** 28;

export type EventHandle = number;

export class EventQueue {
  // Heap, by position.
  private time: Float64Array;
  private seq: Float64Array;
  private slotAt: Int32Array;
  private heapSize = 0;

  // Slots, by slot id.
  private payload: Float64Array;
  private generation: Int32Array;
  private alive: Uint8Array;
  private freeSlots: Int32Array;
  private freeCount = 0;
  private slotsUsed = 0;

  private nextSeq = 0;
  private dead = 0;

  constructor(initialCapacity = 1024) {
    const cap = Math.max(16, initialCapacity);
    this.time = new Float64Array(cap);
    this.seq = new Float64Array(cap);
    this.slotAt = new Int32Array(cap);
    this.payload = new Float64Array(cap);
    this.generation = new Int32Array(cap);
    this.alive = new Uint8Array(cap);
    this.freeSlots = new Int32Array(cap);
  }

  /** Live (not cancelled) pending events. */
  get size(): number {
    return this.heapSize - this.dead;
  }

  /** Adds an event; `payload` is returned by `popMin` through `lastPayload`. */
  push(at: number, payload: number): EventHandle {
    const slot = this.allocSlot();
    this.payload[slot] = payload;
    this.alive[slot] = 1;
    if (this.heapSize === this.time.length) this.growHeap();
    this.siftUp(this.heapSize++, at, this.nextSeq++, slot);
    return this.generation[slot]! * SLOT_LIMIT + slot;
  }

  /** Cancels a pending event. Returns false when it already fired or was cancelled. */
  cancel(handle: EventHandle): boolean {
    const slot = handle % SLOT_LIMIT;
    const gen = (handle - slot) / SLOT_LIMIT;
    if (slot >= this.slotsUsed || this.generation[slot] !== gen || this.alive[slot] !== 1) return false;
    this.alive[slot] = 0;
    this.dead++;
    if (this.dead > 64 && this.dead * 2 > this.heapSize) this.compact();
    return true;
  }

  /** The slot a handle names; owners keep per-slot side data (callbacks) in their own arrays. */
  static slotOf(handle: EventHandle): number {
    return handle % SLOT_LIMIT;
  }

  /** True if the handle's event is still pending. */
  isPending(handle: EventHandle): boolean {
    const slot = handle % SLOT_LIMIT;
    const gen = (handle - slot) / SLOT_LIMIT;
    return slot < this.slotsUsed && this.generation[slot] === gen && this.alive[slot] === 1;
  }

  /** Time of the earliest live event, or +Infinity when none is pending. */
  peekTime(): number {
    this.dropDeadTop();
    return this.heapSize === 0 ? Infinity : this.time[0]!;
  }

  /** Payload of the event most recently removed by `popMin`. */
  lastPayload = 0;
  /** Slot of the event most recently removed by `popMin` (free again, reusable by the next push). */
  lastSlot = 0;
  /** Time of the event most recently removed by `popMin`. */
  lastTime = 0;

  /** Removes the earliest live event; false when none is pending. Read `lastTime`/`lastPayload`. */
  popMin(): boolean {
    this.dropDeadTop();
    if (this.heapSize === 0) return false;
    const slot = this.slotAt[0]!;
    this.lastTime = this.time[0]!;
    this.lastPayload = this.payload[slot]!;
    this.lastSlot = slot;
    this.alive[slot] = 0;
    this.freeSlot(slot);
    this.removeTop();
    return true;
  }

  private dropDeadTop(): void {
    while (this.heapSize > 0 && this.alive[this.slotAt[0]!] === 0) {
      this.freeSlot(this.slotAt[0]!);
      this.dead--;
      this.removeTop();
    }
  }

  private removeTop(): void {
    const last = --this.heapSize;
    if (last > 0) this.siftDown(0, this.time[last]!, this.seq[last]!, this.slotAt[last]!);
  }

  private siftUp(pos: number, t: number, s: number, slot: number): void {
    const time = this.time;
    const seq = this.seq;
    const slotAt = this.slotAt;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const pt = time[parent]!;
      if (pt < t || (pt === t && seq[parent]! < s)) break;
      time[pos] = pt;
      seq[pos] = seq[parent]!;
      slotAt[pos] = slotAt[parent]!;
      pos = parent;
    }
    time[pos] = t;
    seq[pos] = s;
    slotAt[pos] = slot;
  }

  private siftDown(pos: number, t: number, s: number, slot: number): void {
    const time = this.time;
    const seq = this.seq;
    const slotAt = this.slotAt;
    const n = this.heapSize;
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= n) break;
      let ct = time[child]!;
      let cs = seq[child]!;
      const right = child + 1;
      if (right < n) {
        const rt = time[right]!;
        const rs = seq[right]!;
        if (rt < ct || (rt === ct && rs < cs)) {
          child = right;
          ct = rt;
          cs = rs;
        }
      }
      if (t < ct || (t === ct && s < cs)) break;
      time[pos] = ct;
      seq[pos] = cs;
      slotAt[pos] = slotAt[child]!;
      pos = child;
    }
    time[pos] = t;
    seq[pos] = s;
    slotAt[pos] = slot;
  }

  /** Rebuilds the heap without cancelled entries (Floyd's bottom-up heapify, O(n)). */
  private compact(): void {
    let w = 0;
    for (let r = 0; r < this.heapSize; r++) {
      const slot = this.slotAt[r]!;
      if (this.alive[slot] === 1) {
        this.time[w] = this.time[r]!;
        this.seq[w] = this.seq[r]!;
        this.slotAt[w] = slot;
        w++;
      } else {
        this.freeSlot(slot);
      }
    }
    this.heapSize = w;
    this.dead = 0;
    for (let i = (w >> 1) - 1; i >= 0; i--) this.siftDown(i, this.time[i]!, this.seq[i]!, this.slotAt[i]!);
  }

  private allocSlot(): number {
    if (this.freeCount > 0) return this.freeSlots[--this.freeCount]!;
    if (this.slotsUsed === this.payload.length) this.growSlots();
    return this.slotsUsed++;
  }

  private freeSlot(slot: number): void {
    this.generation[slot] = (this.generation[slot]! + 1) % GEN_LIMIT;
    this.freeSlots[this.freeCount++] = slot;
  }

  private growHeap(): void {
    const cap = this.time.length * 2;
    if (cap > SLOT_LIMIT * 2) throw new RangeError(`event queue over ${SLOT_LIMIT} pending events`);
    this.time = grow(this.time, cap);
    this.seq = grow(this.seq, cap);
    this.slotAt = grow(this.slotAt, cap);
  }

  private growSlots(): void {
    const cap = this.payload.length * 2;
    if (cap > SLOT_LIMIT) throw new RangeError(`event queue over ${SLOT_LIMIT} pending events`);
    this.payload = grow(this.payload, cap);
    this.generation = grow(this.generation, cap);
    this.alive = grow(this.alive, cap);
    this.freeSlots = grow(this.freeSlots, cap);
  }
}

function grow<T extends Float64Array | Int32Array | Uint8Array>(arr: T, cap: number): T {
  const next = new (arr.constructor as new (n: number) => T)(cap);
  next.set(arr);
  return next;
}
