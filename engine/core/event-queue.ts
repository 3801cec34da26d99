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
 * Layout, and why (measured with bench/hold.ts and standalone variants on this project's 2-core
 * AMD EPYC VM, 512 KiB L2 per core, 32 MiB L3; numbers are hold-model throughput ratios):
 *  - Keys and slots are two parallel arrays by heap position: `times` (Float64Array) and
 *    `slotAt` (Int32Array). Sifts compare only `times`, an array as dense as a bare heap of
 *    doubles; `slotAt` is written only where an entry moves. 1-based, so siblings (2p, 2p + 1)
 *    are one aligned 16-byte pair of `times`. Interleaving (time, slot) in one Float64Array
 *    (16-byte entries, the previous layout) was 10-15% slower at 10^5 and 10^6.
 *  - The top levels pick the lesser child without a branch (BRANCHLESS_BELOW): about 1.6x on
 *    the heap alone at 10^3, where mispredictions, not misses, are the cost.
 *  - Tried and reverted, all slower here: a 4-ary heap whose 4 children fill one 64-byte-aligned
 *    line (LaMarca & Ladner 1996, "The influence of caches on the performance of heaps", ACM JEA
 *    1), with 16-byte interleaved entries or 8-byte keys, branchy, branch-free or mixed (0.8x to
 *    0.9x binary); an 8-ary heap on keys (0.7x); Wegener's bottom-up sift (1993) for the hole
 *    (0.8x to 0.9x: the top-down stop test is well predicted here, and the hole-to-leaf walk
 *    always pays for the deepest, least cached level); touching the next root's record early, as
 *    a software prefetch (no gain). With 3 comparisons per level of which half mispredict, a
 *    4-ary level costs 1.5x the mispredictions of the two binary levels it replaces, and the
 *    heaps of 10^6 events (12 MiB) fit in L3, so the saved misses do not pay for it.
 *  - Everything else about a slot is one 16-byte record: META (the state and the owner's tag,
 *    packed) and PAYLOAD, two records per 32 bytes; the sequence number, read only to break
 *    ties, lives in its own array. A pop costs one random access for its record. The push that
 *    follows most pops reuses the just-freed slot (a LIFO free list), so its writes hit. That
 *    random access per event is what a bare heap of keys does not pay; halving the record from
 *    32 to 16 bytes (this layout) took engine/bare from about 0.55 to about 0.65 at 10^5 pending
 *    events, where the records then stay in the 1 MiB L2 with the heap (A/B in one process,
 *    alternating, median of 15 rounds, machine loaded), and left 10^6 about where it was.
 */

import { grown } from './typed-arrays.js';

const SLOT_BITS = 24;
const SLOT_LIMIT = 1 << SLOT_BITS; // 16.7 M pending events
const GEN_MASK = 2 ** 28 - 1;

/**
 * Slot record fields (stride 2 doubles = 16 bytes, four records per cache line).
 * META = state x TAG_SPAN + (tag + 1). The state is the generation g (>= 0) while the event is
 * pending, and -1 - g once it fired or was cancelled (and while the slot is free); the tag is
 * the owner's (Simulation: a registered handler's id, or -1), below TAG_SPAN - 1. So META >= 0
 * exactly when the event is pending (one comparison), floor(META / TAG_SPAN) is the state, and
 * a free slot still tells the next occupant's generation, g + 1. All values stay far inside the
 * 2^53 of exact integers in a double.
 */
const META = 0;
const PAYLOAD = 1;
const TAG_SPAN = 2097152; // 2^21
const RECORD = 2;

/** The largest tag a push accepts (Simulation registers at most this many handlers). */
export const MAX_TAG = TAG_SPAN - 2;

/**
 * Heap positions below which `siftDown` picks the lesser child without a branch. On random keys
 * that branch mispredicts half the time; where the data is in L1/L2 (the top levels: positions
 * below 2^12 hold 48 KiB) a data dependency is cheaper than the misprediction. Below that, the
 * branch is better: speculation starts the next level's cache miss before the comparison resolves.
 */
const BRANCHLESS_BELOW = 4096;

export type EventHandle = number;

export class EventQueue {
  // Heap, by position 1 .. heapSize: the entry's time and its slot.
  private times: Float64Array;
  private slotAt: Int32Array;
  private heapSize = 0;

  // Slot records (see META/PAYLOAD), by slot id, and each slot's sequence number.
  private records: Float64Array;
  private seqOf: Float64Array;
  private freeSlots: Int32Array;
  private freeCount = 0;
  private slotsUsed = 0;
  private slotCapacity: number;

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
    this.times = new Float64Array(cap + 1);
    this.slotAt = new Int32Array(cap + 1);
    this.slotCapacity = cap;
    this.records = new Float64Array(RECORD * cap);
    this.seqOf = new Float64Array(cap);
    this.freeSlots = new Int32Array(cap);
  }

  /** Live (not cancelled) pending events. */
  get size(): number {
    return this.heapSize - this.dead - (this.hole ? 1 : 0);
  }

  /**
   * Adds an event; `payload` and `tag` come back from `popMin` through `lastPayload` and
   * `lastTag` (both read from the record `popMin` touches anyway, so a tag costs nothing).
   */
  push(at: number, payload: number, tag = -1): EventHandle {
    const slot = this.freeCount > 0 ? this.freeSlots[--this.freeCount]! : this.newSlot();
    const records = this.records;
    const r = slot * RECORD;
    const prev = Math.floor(records[r + META]! / TAG_SPAN); // -1 - previous generation; 0 for a new slot
    const gen = -prev & GEN_MASK;
    records[r + META] = gen * TAG_SPAN + (tag + 1);
    records[r + PAYLOAD] = payload;
    this.seqOf[slot] = this.nextSeq++;
    if (this.hole) {
      this.hole = false;
      this.siftDown(1, at, slot);
    } else {
      if (this.heapSize + 1 === this.times.length) this.growHeap();
      this.siftUp(++this.heapSize, at, slot);
    }
    return gen * SLOT_LIMIT + slot;
  }

  /** Cancels a pending event. Returns false when it already fired or was cancelled. */
  cancel(handle: EventHandle): boolean {
    const gen = Math.floor(handle / SLOT_LIMIT);
    const slot = handle - gen * SLOT_LIMIT;
    const meta = this.records[slot * RECORD + META]!;
    if (!(slot < this.slotsUsed) || meta < 0 || Math.floor(meta / TAG_SPAN) !== gen) return false;
    this.records[slot * RECORD + META] = (-1 - gen) * TAG_SPAN;
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
    const meta = this.records[slot * RECORD + META]!;
    return slot < this.slotsUsed && meta >= 0 && Math.floor(meta / TAG_SPAN) === gen;
  }

  /** Time of the earliest live event, or +Infinity when none is pending. */
  peekTime(): number {
    this.settle();
    this.dropDeadTop();
    return this.heapSize === 0 ? Infinity : this.times[1]!;
  }

  /** Payload of the event most recently removed by `popMin`. */
  lastPayload = 0;
  /** Tag of the event most recently removed by `popMin`. */
  lastTag = -1;
  /** Slot of the event most recently removed by `popMin` (free again, reusable by the next push). */
  lastSlot = 0;
  /** Time of the event most recently removed by `popMin`. */
  lastTime = 0;

  /** Removes the earliest live event; false when none is pending. Read `lastTime`/`lastPayload`. */
  popMin(): boolean {
    this.settle();
    const records = this.records;
    for (;;) {
      if (this.heapSize === 0) return false;
      const slot = this.slotAt[1]!;
      const r = slot * RECORD;
      const meta = records[r + META]!;
      this.freeSlots[this.freeCount++] = slot;
      if (meta < 0) {
        // Cancelled: its slot is free now; drop the entry and look again.
        this.dead--;
        this.removeTop();
        continue;
      }
      const state = Math.floor(meta / TAG_SPAN);
      records[r + META] = (-1 - state) * TAG_SPAN;
      this.lastTime = this.times[1]!;
      this.lastPayload = records[r + PAYLOAD]!;
      this.lastTag = meta - state * TAG_SPAN - 1;
      this.lastSlot = slot;
      this.hole = true;
      return true;
    }
  }

  private settle(): void {
    if (this.hole) {
      this.hole = false;
      this.removeTop();
    }
  }

  private dropDeadTop(): void {
    while (this.heapSize > 0 && this.records[this.slotAt[1]! * RECORD + META]! < 0) {
      this.freeSlots[this.freeCount++] = this.slotAt[1]!;
      this.dead--;
      this.removeTop();
    }
  }

  private removeTop(): void {
    const last = this.heapSize--;
    if (last > 1) this.siftDown(1, this.times[last]!, this.slotAt[last]!);
  }

  /** True if `a` was pushed before `b` (the tie-break among equal times). */
  private older(a: number, b: number): boolean {
    return this.seqOf[a]! < this.seqOf[b]!;
  }

  private siftUp(pos: number, t: number, slot: number): void {
    const times = this.times;
    const slotAt = this.slotAt;
    while (pos > 1) {
      const parent = pos >> 1;
      const pt = times[parent]!;
      if (pt < t || (pt === t && this.older(slotAt[parent]!, slot))) break;
      times[pos] = pt;
      slotAt[pos] = slotAt[parent]!;
      pos = parent;
    }
    times[pos] = t;
    slotAt[pos] = slot;
  }

  /** Places (t, slot) at `pos` or below, the subtrees below `pos` being heaps. */
  private siftDown(pos: number, t: number, slot: number): void {
    const times = this.times;
    const slotAt = this.slotAt;
    const n = this.heapSize;
    for (;;) {
      let child = 2 * pos;
      if (child > n) break;
      if (child < n) {
        const lt = times[child]!;
        const rt = times[child + 1]!;
        if (child < BRANCHLESS_BELOW) {
          // Branch-free pick of the lesser child (see BRANCHLESS_BELOW); ties are rare and predictable.
          child += +(rt < lt);
          if (rt === lt && this.older(slotAt[child + 1]!, slotAt[child]!)) child++;
        } else if (rt < lt || (rt === lt && this.older(slotAt[child + 1]!, slotAt[child]!))) {
          child++;
        }
      }
      const ct = times[child]!;
      if (t < ct || (t === ct && this.older(slot, slotAt[child]!))) break;
      times[pos] = ct;
      slotAt[pos] = slotAt[child]!;
      pos = child;
    }
    times[pos] = t;
    slotAt[pos] = slot;
  }

  /** Rebuilds the heap without cancelled entries (Floyd's bottom-up heapify, O(n)). */
  private compact(): void {
    this.settle();
    const times = this.times;
    const slotAt = this.slotAt;
    let w = 0;
    for (let r = 1; r <= this.heapSize; r++) {
      const slot = slotAt[r]!;
      if (this.records[slot * RECORD + META]! >= 0) {
        w++;
        times[w] = times[r]!;
        slotAt[w] = slot;
      } else {
        this.freeSlots[this.freeCount++] = slot;
      }
    }
    this.heapSize = w;
    this.dead = 0;
    for (let i = w >> 1; i >= 1; i--) this.siftDown(i, times[i]!, slotAt[i]!);
  }

  private newSlot(): number {
    if (this.slotsUsed === this.slotCapacity) this.growSlots();
    return this.slotsUsed++;
  }

  private growHeap(): void {
    // Heap entries never outnumber slots, so growSlots enforces SLOT_LIMIT.
    const cap = 2 * this.times.length;
    this.times = grown(this.times, cap);
    this.slotAt = grown(this.slotAt, cap);
  }

  private growSlots(): void {
    const cap = this.slotCapacity * 2;
    if (cap > SLOT_LIMIT) throw new RangeError(`event queue over ${SLOT_LIMIT} pending events`);
    this.records = grown(this.records, RECORD * cap);
    this.seqOf = grown(this.seqOf, cap);
    this.freeSlots = grown(this.freeSlots, cap);
    this.slotCapacity = cap;
  }
}

