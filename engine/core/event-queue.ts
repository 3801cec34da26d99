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
 *  - Everything else about a slot is one 16-byte record of four int32s: state, tag, payload and
 *    the sequence number (see STATE..SEQ). A pop costs one random access for its record, and the
 *    push that follows most pops reuses the just-freed slot (a LIFO free list), so its writes hit
 *    the same line. That random access per event is what a bare heap of keys does not pay
 *    (measured with unsound variants at 10^6, one process, alternating: this layout 0.56x bare,
 *    without moving slots 0.62x, and with a fixed slot as well 0.79x). History: 32-byte records, then 16-byte float64 records (state and tag packed, payload)
 *    with the sequence numbers in their own Float64Array: that array cost a second random line
 *    per push, and its 8 MiB at 10^6 pushed the hot set (times, slotAt, records, sequences:
 *    36 MiB) past the 32 MiB L3. Folding the sequence into int32 records (hot set 28 MiB) took
 *    engine/bare at 10^6 from 0.49 to 0.62 and at 10^5 from 0.52 to 0.73 (`kubesim bench --json
 *    --filter hold/`, old and new build one after the other; over nine later runs 10^6 read
 *    0.55-0.65). The price: payloads are int32 (the model passes ids) and sequence numbers wrap,
 *    so they are renumbered (`renumber`).
 *  - Tried and not kept: 12-byte records (tag packed with a 24-bit payload; hot set 24 MiB):
 *    better in three alternating A/B pairs, worse in the next three and in a one-process A/B;
 *    the machine's drift (this VM's THP is madvise-only: 4 KiB pages; a TLB of 2-3 K entries, Zen's, would reach
 *    8-12 MiB: an estimate, the VM has no performance counters)
 *    was larger than the effect.
 *  - Not worth it: dropping `slotAt` (the slot in the key's low mantissa bits, exact order from
 *    the record on ties) would save about 0.06x bare at 10^6 (measured by an unsound variant
 *    that does not move slots), for a much harder comparison.
 */

import { grown } from './typed-arrays.js';

const SLOT_BITS = 24;
const SLOT_LIMIT = 1 << SLOT_BITS; // 16.7 M pending events
const GEN_MASK = 2 ** 28 - 1;

/**
 * Slot record fields: four int32s, 16 bytes, four records per cache line, so a pop and the push
 * that reuses its slot touch one line. STATE is the generation g (>= 0) while the event is
 * pending, and -1 - g once it fired or was cancelled (and while the slot is free): `STATE >= 0`
 * is the pending test, and a free slot still tells its next occupant's generation, g + 1 (a new
 * slot's 0 gives generation 0). TAG is the owner's (Simulation: a registered handler's id, or
 * -1). SEQ is the insertion sequence number, read only to break ties in time.
 */
const STATE = 0;
const TAG = 1;
const PAYLOAD = 2;
const SEQ = 3;
const RECORD = 4;

/** The largest tag a push accepts (Simulation registers at most this many handlers). */
export const MAX_TAG = 2 ** 31 - 1;

/**
 * Sequence numbers are int32 to keep the record at 16 bytes. Before `nextSeq` would pass this,
 * the pending events are renumbered 0..n-1 in their order (`renumber`): relative order, which is
 * all a tie-break reads, is kept, and it happens once per ~2^31 pushes.
 */
const SEQ_LIMIT = 2 ** 31 - 1;

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

  // Slot records (see STATE..SEQ), by slot id.
  private records: Int32Array;
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

  /** `seqLimit` is for tests, which renumber often; the default is the int32 range. */
  constructor(initialCapacity = 1024, private readonly seqLimit = SEQ_LIMIT) {
    const cap = Math.max(16, initialCapacity);
    this.times = new Float64Array(cap + 1);
    this.slotAt = new Int32Array(cap + 1);
    this.slotCapacity = cap;
    this.records = new Int32Array(RECORD * cap);
    this.freeSlots = new Int32Array(cap);
  }

  /** Live (not cancelled) pending events. */
  get size(): number {
    return this.heapSize - this.dead - (this.hole ? 1 : 0);
  }

  /**
   * Adds an event; `payload` (an int32) and `tag` come back from `popMin` through `lastPayload`
   * and `lastTag` (both read from the record `popMin` touches anyway, so a tag costs nothing).
   */
  push(at: number, payload: number, tag = -1): EventHandle {
    if (this.nextSeq >= this.seqLimit) this.renumber();
    const slot = this.freeCount > 0 ? this.freeSlots[--this.freeCount]! : this.newSlot();
    const records = this.records;
    const r = slot * RECORD;
    const gen = -records[r + STATE]! & GEN_MASK; // a free slot holds -1 - previous generation; a new one 0
    records[r + STATE] = gen;
    records[r + TAG] = tag;
    records[r + PAYLOAD] = payload;
    records[r + SEQ] = this.nextSeq++;
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
    if (!(slot < this.slotsUsed) || this.records[slot * RECORD + STATE] !== gen) return false;
    this.records[slot * RECORD + STATE] = -1 - gen;
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
    return slot < this.slotsUsed && this.records[slot * RECORD + STATE] === gen;
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
      const state = records[r + STATE]!;
      this.freeSlots[this.freeCount++] = slot;
      if (state < 0) {
        // Cancelled: its slot is free now; drop the entry and look again.
        this.dead--;
        this.removeTop();
        continue;
      }
      records[r + STATE] = -1 - state;
      this.lastTime = this.times[1]!;
      this.lastPayload = records[r + PAYLOAD]!;
      this.lastTag = records[r + TAG]!;
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
    while (this.heapSize > 0 && this.records[this.slotAt[1]! * RECORD + STATE]! < 0) {
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
    return this.records[a * RECORD + SEQ]! < this.records[b * RECORD + SEQ]!;
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
      if (this.records[slot * RECORD + STATE]! >= 0) {
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

  /**
   * Gives the pending events (live and cancelled alike: both sit in the heap) the sequence
   * numbers 0..n-1 in their current order, so `nextSeq` can start again at n.
   */
  private renumber(): void {
    this.settle();
    const records = this.records;
    const slots = Array.from(this.slotAt.subarray(1, this.heapSize + 1));
    slots.sort((a, b) => records[a * RECORD + SEQ]! - records[b * RECORD + SEQ]!);
    for (let i = 0; i < slots.length; i++) records[slots[i]! * RECORD + SEQ] = i;
    this.nextSeq = slots.length;
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
    this.freeSlots = grown(this.freeSlots, cap);
    this.slotCapacity = cap;
  }
}

