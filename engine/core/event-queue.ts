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
const GEN_MASK = 2 ** 28 - 1;

export type EventHandle = number;

export class EventQueue {
  // Heap, by position, 1-based so that siblings (2p, 2p+1) share a cache line: entry p is
  // heap[2p] = time, heap[2p + 1] = slot. One interleaved array means one cache line per level
  // of a sift; the tie-break sequence number lives with the slot and is read only on equal times.
  private heap: Float64Array;
  private heapSize = 0;

  // Slots, by slot id.
  private payload: Float64Array;
  private seqOf: Float64Array;
  private generation: Int32Array;
  private alive: Uint8Array;
  private freeSlots: Int32Array;
  private freeCount = 0;
  private slotsUsed = 0;

  private nextSeq = 0;
  private dead = 0;
  /**
   * True when `popMin` took the root but has not yet removed it. Most handlers schedule a
   * follow-up event, and that push then fills the root with one sift-down (Python's
   * `heapq.heapreplace`) instead of a sift-down of the last entry plus a sift-up. Any other
   * operation first removes the root for real (`settle`).
   */
  private hole = false;

  constructor(initialCapacity = 1024) {
    const cap = Math.max(16, initialCapacity);
    this.heap = new Float64Array(2 * (cap + 1));
    this.payload = new Float64Array(cap);
    this.seqOf = new Float64Array(cap);
    this.generation = new Int32Array(cap);
    this.alive = new Uint8Array(cap);
    this.freeSlots = new Int32Array(cap);
  }

  /** Live (not cancelled) pending events. */
  get size(): number {
    return this.heapSize - this.dead - (this.hole ? 1 : 0);
  }

  /** Adds an event; `payload` is returned by `popMin` through `lastPayload`. */
  push(at: number, payload: number): EventHandle {
    const slot = this.allocSlot();
    this.payload[slot] = payload;
    this.seqOf[slot] = this.nextSeq++;
    this.alive[slot] = 1;
    if (this.hole) {
      this.hole = false;
      this.siftDown(1, at, slot);
    } else {
      if (2 * (this.heapSize + 2) > this.heap.length) this.growHeap();
      this.siftUp(++this.heapSize, at, slot);
    }
    return this.generation[slot]! * SLOT_LIMIT + slot;
  }

  /** Cancels a pending event. Returns false when it already fired or was cancelled. */
  cancel(handle: EventHandle): boolean {
    const gen = Math.floor(handle / SLOT_LIMIT);
    const slot = handle - gen * SLOT_LIMIT;
    if (slot >= this.slotsUsed || this.generation[slot] !== gen || this.alive[slot] !== 1) return false;
    this.alive[slot] = 0;
    this.dead++;
    if (this.dead > 64 && this.dead * 2 > this.heapSize) this.compact();
    return true;
  }

  /** The slot a handle names; owners keep per-slot side data (callbacks) in their own arrays. */
  static slotOf(handle: EventHandle): number {
    // Not `handle % SLOT_LIMIT`: handles exceed int32, and a float modulo is a libm call.
    return handle - Math.floor(handle / SLOT_LIMIT) * SLOT_LIMIT;
  }

  /** True if the handle's event is still pending. */
  isPending(handle: EventHandle): boolean {
    const gen = Math.floor(handle / SLOT_LIMIT);
    const slot = handle - gen * SLOT_LIMIT;
    return slot < this.slotsUsed && this.generation[slot] === gen && this.alive[slot] === 1;
  }

  /** Time of the earliest live event, or +Infinity when none is pending. */
  peekTime(): number {
    this.settle();
    this.dropDeadTop();
    return this.heapSize === 0 ? Infinity : this.heap[2]!;
  }

  /** Payload of the event most recently removed by `popMin`. */
  lastPayload = 0;
  /** Slot of the event most recently removed by `popMin` (free again, reusable by the next push). */
  lastSlot = 0;
  /** Time of the event most recently removed by `popMin`. */
  lastTime = 0;

  /** Removes the earliest live event; false when none is pending. Read `lastTime`/`lastPayload`. */
  popMin(): boolean {
    this.settle();
    this.dropDeadTop();
    if (this.heapSize === 0) return false;
    const slot = this.heap[3]! | 0; // an int32 index for the owner's arrays, not a double
    this.lastTime = this.heap[2]!;
    this.lastPayload = this.payload[slot]!;
    this.lastSlot = slot;
    this.alive[slot] = 0;
    this.freeSlot(slot);
    this.hole = true;
    return true;
  }

  private settle(): void {
    if (this.hole) {
      this.hole = false;
      this.removeTop();
    }
  }

  private dropDeadTop(): void {
    while (this.heapSize > 0 && this.alive[this.heap[3]!] === 0) {
      this.freeSlot(this.heap[3]! | 0);
      this.dead--;
      this.removeTop();
    }
  }

  private removeTop(): void {
    const last = this.heapSize--;
    if (last > 1) this.siftDown(1, this.heap[2 * last]!, this.heap[2 * last + 1]!);
  }

  private siftUp(pos: number, t: number, slot: number): void {
    const heap = this.heap;
    const seqOf = this.seqOf;
    while (pos > 1) {
      const parent = pos >> 1;
      const pt = heap[2 * parent]!;
      if (pt < t || (pt === t && seqOf[heap[2 * parent + 1]!]! < seqOf[slot]!)) break;
      heap[2 * pos] = pt;
      heap[2 * pos + 1] = heap[2 * parent + 1]!;
      pos = parent;
    }
    heap[2 * pos] = t;
    heap[2 * pos + 1] = slot;
  }

  private siftDown(pos: number, t: number, slot: number): void {
    const heap = this.heap;
    const seqOf = this.seqOf;
    const n = this.heapSize;
    for (;;) {
      let child = 2 * pos;
      if (child > n) break;
      let ct = heap[2 * child]!;
      if (child < n) {
        const rt = heap[2 * child + 2]!;
        if (rt < ct || (rt === ct && seqOf[heap[2 * child + 3]!]! < seqOf[heap[2 * child + 1]!]!)) {
          child++;
          ct = rt;
        }
      }
      if (t < ct || (t === ct && seqOf[slot]! < seqOf[heap[2 * child + 1]!]!)) break;
      heap[2 * pos] = ct;
      heap[2 * pos + 1] = heap[2 * child + 1]!;
      pos = child;
    }
    heap[2 * pos] = t;
    heap[2 * pos + 1] = slot;
  }

  /** Rebuilds the heap without cancelled entries (Floyd's bottom-up heapify, O(n)). */
  private compact(): void {
    this.settle();
    const heap = this.heap;
    let w = 0;
    for (let r = 1; r <= this.heapSize; r++) {
      const slot = heap[2 * r + 1]! | 0;
      if (this.alive[slot] === 1) {
        w++;
        heap[2 * w] = heap[2 * r]!;
        heap[2 * w + 1] = slot;
      } else {
        this.freeSlot(slot);
      }
    }
    this.heapSize = w;
    this.dead = 0;
    for (let i = w >> 1; i >= 1; i--) this.siftDown(i, heap[2 * i]!, heap[2 * i + 1]!);
  }

  private allocSlot(): number {
    if (this.freeCount > 0) return this.freeSlots[--this.freeCount]!;
    if (this.slotsUsed === this.payload.length) this.growSlots();
    return this.slotsUsed++;
  }

  private freeSlot(slot: number): void {
    this.generation[slot] = (this.generation[slot]! + 1) & GEN_MASK;
    this.freeSlots[this.freeCount++] = slot;
  }

  private growHeap(): void {
    const cap = this.heap.length * 2;
    if (cap > SLOT_LIMIT * 4 + 4) throw new RangeError(`event queue over ${SLOT_LIMIT} pending events`);
    this.heap = grow(this.heap, cap);
  }

  private growSlots(): void {
    const cap = this.payload.length * 2;
    if (cap > SLOT_LIMIT) throw new RangeError(`event queue over ${SLOT_LIMIT} pending events`);
    this.payload = grow(this.payload, cap);
    this.seqOf = grow(this.seqOf, cap);
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
