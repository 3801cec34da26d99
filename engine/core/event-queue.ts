/**
 * The pending-event set: a binary min-heap on typed arrays, ordered by (time, sequence).
 *
 * Invariants:
 *  - `popMin` returns events in non-decreasing time; among equal times, in insertion order
 *    (the sequence number is a strictly increasing counter), so runs are deterministic.
 *  - Each pending event lives in a slot (an integer id); the slot holds its payload (an integer
 *    the owner interprets). A handle names (slot, generation), so a handle kept after its event
 *    fired or was cancelled can never cancel the slot's next occupant.
 *  - Cancellation is lazy: the slot is marked dead and skipped when it reaches the front. When
 *    dead entries outnumber live ones the heap is rebuilt without them, so memory stays O(live).
 *
 * Keys. The heap is one Float64Array of keys, nothing else, as dense as a bare heap of times:
 * a key is the event's time with its lowest `slotBits` mantissa bits replaced by its slot
 * (`slotBits` names every slot in use: 10 bits for a thousand pending events, 20 for a million,
 * at most 24). The record keeps the bits the key gave up, so the exact time is the key plus
 * (those bits - slot) units in the last place. Non-negative doubles order as their bit patterns,
 * so keys order events exactly wherever their times differ above the low bits; events whose
 * times agree above them (a "bucket", 2^slotBits units in the last place wide: 2^-32 of the
 * time at a million pending events, under a microsecond at t = 1 h) order by slot, which means
 * nothing. So when the root shares its bucket with a child (`front`), the whole bucket, which
 * sits at the top of the heap, moves to a short list sorted by (exact time, sequence) (`gather`),
 * and events pushed into that bucket meanwhile join the list (`insertTie`). Events at equal
 * times, the usual case in the model (a controller's writes, a timeline instant), always share
 * a bucket and go through the list. Keys are unique (slots are), so sifts never compare
 * anything else.
 *
 * Why (bench/hold.ts on this project's 2-core AMD EPYC VM, 512 KiB L2 per core, 32 MiB L3
 * shared with other tenants; engine/bare hold-model throughput at 10^6 pending events): what a
 * heap of 10^6 events costs is its deepest levels, which miss the caches, and each byte moved
 * per level counts. The previous layout kept the slot in a parallel Int32Array moved with every
 * key (12 bytes per level instead of 8): 0.55-0.65 over nine runs, median 0.615; a variant with
 * 8-byte side data (slot and payload) and no record read at pop was slower still (0.43-0.47
 * against 0.47-0.52 in one-process A/Bs). With the slot in the key, and popMin's common case
 * inline: 0.72-0.81 over five runs of `kubesim bench --json --filter hold/` (median 0.75; the
 * old layout read 0.57-0.63 in the same hour), 0.72-0.84 at 10^5, 0.96-1.0 at 10^3 (the old
 * 1.12-1.15: the float work per push and pop shows where nothing misses). The price: a pop
 * reads the record for the exact time (it reads it anyway for the payload), a few float
 * operations per push and pop, and tags fit in 8 bits (MAX_TAG). Splitting the record into the
 * 8 bytes a pop reads and the 8 a push writes (generation and sequence, with a pending bitset)
 * was slower (0.56-0.60 against 0.62 at 10^6): the push's store to a cold line costs more than
 * the smaller hot set saves.
 *
 * Records: one 16-byte record of four int32s per slot: state, tag with the time's low bits,
 * payload, sequence number (see STATE..SEQ). A pop costs one random access for its record, and
 * the push that follows most pops reuses the just-freed slot (a LIFO free list), so its writes
 * hit the same line. Sequence numbers are int32 too, and renumbered before they wrap
 * (`renumber`).
 *
 * The top levels pick the lesser child without a branch (BRANCHLESS_BELOW): about 1.6x on the
 * heap alone at 10^3, where mispredictions, not misses, are the cost. Most handlers schedule a
 * follow-up, so a pop leaves its root in place (`hole`) for the push to replace with one
 * sift-down (Python's `heapq.heapreplace`).
 *
 * Tried and not kept (same machine): a 4-ary heap whose 4 children fill one 64-byte-aligned
 * line (LaMarca & Ladner 1996, "The influence of caches on the performance of heaps", ACM JEA
 * 1), branchy, branch-free or mixed (0.8x to 0.9x binary: 3 comparisons per level of which half
 * mispredict); an 8-ary heap (0.7x); Wegener's bottom-up sift (1993) for the hole (0.8x to 0.9x);
 * (time, slot) interleaved in 16-byte entries, or sibling pairs with their slots in one
 * 24- or 32-byte block (10-20% slower than parallel arrays); touching the next root's record
 * early as a software prefetch (no gain); huge pages for the arrays (glibc.malloc.hugetlb=1:
 * no change, so the TLB is not what limits it).
 */

import { grown } from './typed-arrays.js';

/** Most bits a key's slot field takes, and the record's field for the time's low bits. */
const SLOT_BITS = 24;
const SLOT_LIMIT = 1 << SLOT_BITS; // 16.7 M pending events
const SLOT_MASK = SLOT_LIMIT - 1;
const GEN_MASK = 2 ** 28 - 1;

/**
 * Slot record fields: four int32s, 16 bytes, four records per cache line, so a pop and the push
 * that reuses its slot touch one line. STATE is the generation g (>= 0) while the event is
 * pending, and -1 - g once it fired or was cancelled (and while the slot is free): `STATE >= 0`
 * is the pending test, and a free slot still tells its next occupant's generation, g + 1 (a new
 * slot's 0 gives generation 0). TAG_LOW holds the owner's tag + 1 in its top 8 bits (Simulation:
 * a registered handler's id, or -1) and, below, the low bits of the time that the key gave to
 * the slot. SEQ is the insertion sequence number, read only to order a bucket.
 */
const STATE = 0;
const TAG_LOW = 1;
const PAYLOAD = 2;
const SEQ = 3;
const RECORD = 4;

/** The largest tag a push accepts: tags ride in a record's top 8 bits, as tag + 1. */
export const MAX_TAG = 254;

/**
 * Sequence numbers are int32 to keep the record at 16 bytes. Before `nextSeq` would pass this,
 * the pending events are renumbered 0..n-1 in their order (`renumber`): relative order, which is
 * all a tie-break reads, is kept, and it happens once per ~2^31 pushes.
 */
const SEQ_LIMIT = 2 ** 31 - 1;

/**
 * Heap positions below which `siftDown` picks the lesser child without a branch. On random keys
 * that branch mispredicts half the time; where the data is in L1/L2 (the top levels: positions
 * below 2^12 hold 32 KiB) a data dependency is cheaper than the misprediction. Below that, the
 * branch is better: speculation starts the next level's cache miss before the comparison resolves.
 */
const BRANCHLESS_BELOW = 4096;

// A double's two 32-bit words, read through a shared buffer (written only as a double, so a
// read is always forwarded from one store).
const scratch = new Float64Array(1);
const words = new Int32Array(scratch.buffer);
scratch[0] = 1;
/** Indexes in `words` of the low and high words: 0 and 1 on little-endian machines (1.0's high word is 0x3ff00000). */
const LO = words[1] === 0x3ff00000 ? 0 : 1;
const HI = 1 - LO;
/** ULP[e]: the unit in the last place of a double whose biased exponent is e (subnormals: e = 0, as e = 1). */
const ULP = new Float64Array(2048);
for (let e = 0; e < 2047; e++) ULP[e] = 2 ** (Math.max(e, 1) - 1075);

export type EventHandle = number;

/** Bits that name slots 0 .. capacity - 1 (at least 4). */
function bitsFor(capacity: number): number {
  return Math.max(4, 32 - Math.clz32(capacity - 1));
}

export class EventQueue {
  /** Heap of keys, by position 1 .. heapSize (see the file comment). */
  private keys: Float64Array;
  private heapSize = 0;

  private records: Int32Array;
  private freeSlots: Int32Array;
  private freeCount = 0;
  private slotsUsed = 0;
  private slotCapacity: number;

  /** The bucket being served in (time, sequence) order: slots and exact times, [tieHead, tieEnd). */
  private tieSlots = new Int32Array(16);
  private tieTimes = new Float64Array(16);
  private tieHead = 0;
  private tieEnd = 0;
  /** The latest time of that bucket (its largest key): a push up to it joins the list. */
  private tieBoundary = 0;

  /** Low mantissa bits of a key that hold the slot: enough for every slot in use (see `rekey`). */
  private slotBits: number;
  private slotMask: number;

  private nextSeq = 0;
  private dead = 0;
  /**
   * True when `popMin` took the root but has not yet removed it. Most handlers schedule a
   * follow-up event, and that push then fills the root with one sift-down (Python's
   * `heapq.heapreplace`) instead of a sift-down of the last entry plus a sift-up. Any other
   * operation first removes the root for real (`settle`).
   */
  private hole = false;
  /** The heap root's slot and its key's unit in the last place, as `front` found them. */
  private rootSlot = 0;
  private rootUlp = 0;

  /** `seqLimit` is for tests, which renumber often; the default is the int32 range. */
  constructor(initialCapacity = 1024, private readonly seqLimit = SEQ_LIMIT) {
    const cap = Math.max(16, initialCapacity);
    this.keys = new Float64Array(cap + 1);
    this.slotCapacity = cap;
    this.slotBits = bitsFor(cap);
    this.slotMask = (1 << this.slotBits) - 1;
    this.records = new Int32Array(RECORD * cap);
    this.freeSlots = new Int32Array(cap);
  }

  /** Live (not cancelled) pending events. */
  get size(): number {
    return this.heapSize + (this.tieEnd - this.tieHead) - this.dead - (this.hole ? 1 : 0);
  }

  /**
   * Adds an event at time `at` (finite, >= 0); `payload` (an int32) and `tag` (-1..MAX_TAG) come
   * back from `popMin` through `lastPayload` and `lastTag` (both read from the record `popMin`
   * touches anyway, so a tag costs nothing).
   */
  push(at: number, payload: number, tag = -1): EventHandle {
    if (!(at >= 0 && at < Infinity)) throw new RangeError(`event time must be finite and >= 0, got ${at}`);
    if (this.nextSeq >= this.seqLimit) this.renumber();
    const slot = this.freeCount > 0 ? this.freeSlots[--this.freeCount]! : this.newSlot();
    const records = this.records;
    const r = slot * RECORD;
    const gen = -records[r + STATE]! & GEN_MASK;
    const t = at + 0; // + 0: -0 becomes +0, whose bits order with the other non-negative doubles
    scratch[0] = t;
    const low = words[LO]! & this.slotMask;
    // The time with its low bits replaced by the slot's: exact, as the sum is a double.
    const key = t + (slot - low) * ULP[words[HI]! >>> 20]!;
    records[r + STATE] = gen;
    records[r + TAG_LOW] = ((tag + 1) << SLOT_BITS) | low;
    records[r + PAYLOAD] = payload;
    records[r + SEQ] = this.nextSeq++;
    if (this.tieEnd > this.tieHead && t <= this.tieBoundary) {
      this.insertTie(slot, t);
    } else if (this.hole) {
      this.hole = false;
      this.siftDown(1, key);
    } else {
      if (this.heapSize + 1 === this.keys.length) this.keys = grown(this.keys, 2 * this.keys.length);
      this.siftUp(++this.heapSize, key);
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
    if (this.dead > 64 && this.dead * 2 > this.heapSize + this.tieEnd - this.tieHead) this.compact();
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
    if (!this.front()) return Infinity;
    if (this.tieEnd > this.tieHead) return this.tieTimes[this.tieHead]!;
    return this.rootTime();
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
    // The common case first: no bucket being served, and a live heap root alone in its bucket.
    if (this.tieEnd > this.tieHead || !this.rootReady()) {
      if (!this.front()) return false;
      if (this.tieEnd > this.tieHead) {
        const slot = this.tieSlots[this.tieHead]!;
        const t = this.tieTimes[this.tieHead]!;
        if (++this.tieHead === this.tieEnd) this.tieHead = this.tieEnd = 0;
        this.fire(slot, t);
        return true;
      }
    }
    this.fire(this.rootSlot, this.rootTime());
    this.hole = true;
    return true;
  }

  /** Marks the event in `slot` fired, frees the slot and sets the `last...` fields. */
  private fire(slot: number, t: number): void {
    const records = this.records;
    const r = slot * RECORD;
    records[r + STATE] = -1 - records[r + STATE]!;
    this.freeSlots[this.freeCount++] = slot;
    this.lastTime = t;
    this.lastPayload = records[r + PAYLOAD]!;
    this.lastTag = (records[r + TAG_LOW]! >>> SLOT_BITS) - 1;
    this.lastSlot = slot;
  }

  /**
   * True when the heap root is live and alone in its bucket (no child shares it: the bucket's
   * events sit at the top of the heap); leaves its slot and unit in the last place in
   * `rootSlot` and `rootUlp`.
   */
  private rootReady(): boolean {
    const n = this.heapSize;
    if (n === 0) return false;
    const keys = this.keys;
    const key = keys[1]!;
    scratch[0] = key;
    const slot = words[LO]! & this.slotMask;
    const ulp = ULP[words[HI]! >>> 20]!;
    this.rootSlot = slot;
    this.rootUlp = ulp;
    const boundary = key + (this.slotMask - slot) * ulp;
    return this.records[slot * RECORD + STATE]! >= 0 && !(n >= 2 && keys[2]! <= boundary) && !(n >= 3 && keys[3]! <= boundary);
  }

  /**
   * Brings the earliest live event to the front: the head of the tie list, or a live heap root
   * alone in its bucket (`rootReady`). Gathers a shared bucket into the tie list and drops
   * cancelled entries on the way; false when nothing is pending.
   */
  private front(): boolean {
    const records = this.records;
    for (;;) {
      if (this.tieEnd > this.tieHead) {
        const slot = this.tieSlots[this.tieHead]!;
        if (records[slot * RECORD + STATE]! >= 0) return true;
        this.freeSlots[this.freeCount++] = slot;
        this.dead--;
        if (++this.tieHead === this.tieEnd) this.tieHead = this.tieEnd = 0;
        continue;
      }
      if (this.heapSize === 0) return false;
      if (this.rootReady()) return true;
      const slot = this.rootSlot;
      const key = this.keys[1]!;
      const boundary = key + (this.slotMask - slot) * this.rootUlp;
      if (this.heapSize >= 2 && (this.keys[2]! <= boundary || (this.heapSize >= 3 && this.keys[3]! <= boundary))) {
        this.gather(boundary);
      } else {
        // Alone in its bucket but cancelled.
        this.freeSlots[this.freeCount++] = slot;
        this.dead--;
        this.removeTop();
      }
    }
  }

  /** The exact time of the heap root (after `rootReady`): its key with the record's low bits back. */
  private rootTime(): number {
    const slot = this.rootSlot;
    return this.keys[1]! + ((this.records[slot * RECORD + TAG_LOW]! & SLOT_MASK) - slot) * this.rootUlp;
  }

  /** The exact time of the event whose key is `key`. */
  private timeOf(key: number): number {
    scratch[0] = key;
    const slot = words[LO]! & this.slotMask;
    return key + ((this.records[slot * RECORD + TAG_LOW]! & SLOT_MASK) - slot) * ULP[words[HI]! >>> 20]!;
  }

  /** Moves every heap entry of the root's bucket (keys up to `boundary`) to the tie list, in (time, sequence) order. */
  private gather(boundary: number): void {
    const keys = this.keys;
    this.tieHead = 0;
    this.tieEnd = 0;
    this.tieBoundary = boundary;
    while (this.heapSize > 0 && keys[1]! <= boundary) {
      const key = keys[1]!;
      this.removeTop();
      this.insertTie(this.slotOfKey(key), this.timeOf(key));
    }
  }

  /**
   * Inserts a pending event of the tie list's bucket at its place in (time, sequence) order. The
   * list is short (a bucket's events), and a push has the largest sequence number yet, so the
   * scan from the end stops at once unless times go backwards within the bucket.
   */
  private insertTie(slot: number, t: number): void {
    if (this.tieEnd === this.tieSlots.length) this.growTies();
    const slots = this.tieSlots;
    const times = this.tieTimes;
    const seq = this.records[slot * RECORD + SEQ]!;
    let i = this.tieEnd++;
    while (i > this.tieHead) {
      const pt = times[i - 1]!;
      if (pt < t || (pt === t && this.records[slots[i - 1]! * RECORD + SEQ]! < seq)) break;
      slots[i] = slots[i - 1]!;
      times[i] = pt;
      i--;
    }
    slots[i] = slot;
    times[i] = t;
  }

  private growTies(): void {
    this.tieSlots = grown(this.tieSlots, 2 * this.tieSlots.length);
    this.tieTimes = grown(this.tieTimes, 2 * this.tieTimes.length);
  }

  private settle(): void {
    if (this.hole) {
      this.hole = false;
      this.removeTop();
    }
  }

  private removeTop(): void {
    const last = this.heapSize--;
    if (last > 1) this.siftDown(1, this.keys[last]!);
  }

  private siftUp(pos: number, key: number): void {
    const keys = this.keys;
    while (pos > 1) {
      const parent = pos >> 1;
      const pk = keys[parent]!;
      if (pk < key) break;
      keys[pos] = pk;
      pos = parent;
    }
    keys[pos] = key;
  }

  private siftDown(pos: number, key: number): void {
    const keys = this.keys;
    const n = this.heapSize;
    for (;;) {
      let child = 2 * pos;
      if (child > n) break;
      if (child < n) {
        if (child < BRANCHLESS_BELOW) child += +(keys[child + 1]! < keys[child]!);
        else if (keys[child + 1]! < keys[child]!) child++;
      }
      const ck = keys[child]!;
      if (key < ck) break;
      keys[pos] = ck;
      pos = child;
    }
    keys[pos] = key;
  }

  private slotOfKey(key: number): number {
    scratch[0] = key;
    return words[LO]! & this.slotMask;
  }

  /** Rebuilds the heap and the tie list without cancelled entries (Floyd's bottom-up heapify, O(n)). */
  private compact(): void {
    this.settle();
    const keys = this.keys;
    const records = this.records;
    let w = 0;
    for (let r = 1; r <= this.heapSize; r++) {
      const key = keys[r]!;
      const slot = this.slotOfKey(key);
      if (records[slot * RECORD + STATE]! >= 0) keys[++w] = key;
      else this.freeSlots[this.freeCount++] = slot;
    }
    this.heapSize = w;
    for (let i = w >> 1; i >= 1; i--) this.siftDown(i, keys[i]!);
    let t = 0;
    for (let i = this.tieHead; i < this.tieEnd; i++) {
      const slot = this.tieSlots[i]!;
      if (records[slot * RECORD + STATE]! >= 0) {
        this.tieSlots[t] = slot;
        this.tieTimes[t++] = this.tieTimes[i]!;
      } else {
        this.freeSlots[this.freeCount++] = slot;
      }
    }
    this.tieHead = 0;
    this.tieEnd = t;
    this.dead = 0;
  }

  /**
   * Gives the pending events (live and cancelled alike, in the heap and the tie list) the
   * sequence numbers 0..n-1 in their current order, so `nextSeq` can start again at n.
   */
  private renumber(): void {
    this.settle();
    const records = this.records;
    const slots: number[] = [];
    for (let p = 1; p <= this.heapSize; p++) slots.push(this.slotOfKey(this.keys[p]!));
    for (let i = this.tieHead; i < this.tieEnd; i++) slots.push(this.tieSlots[i]!);
    slots.sort((a, b) => records[a * RECORD + SEQ]! - records[b * RECORD + SEQ]!);
    for (let i = 0; i < slots.length; i++) records[slots[i]! * RECORD + SEQ] = i;
    this.nextSeq = slots.length;
  }

  private newSlot(): number {
    if (this.slotsUsed === this.slotCapacity) this.growSlots();
    return this.slotsUsed++;
  }

  private growSlots(): void {
    const cap = this.slotCapacity * 2;
    if (cap > SLOT_LIMIT) throw new RangeError(`event queue over ${SLOT_LIMIT} pending events`);
    this.records = grown(this.records, RECORD * cap);
    this.freeSlots = grown(this.freeSlots, cap);
    this.slotCapacity = cap;
    if (bitsFor(cap) > this.slotBits) this.rekey(bitsFor(cap));
  }

  /**
   * Widens the keys' slot field to `bits` (more slots than the field can name): each key gives
   * up its time's next bit(s) to the field, and the record keeps them. Keys that differed only
   * in those bits now share a bucket and may compare the other way; pops rely only on the order
   * between buckets, which holds, but the heap is rebuilt (Floyd, O(n), as growing the arrays
   * already is) so that it stays a heap on its keys, which is what the sifts assume.
   */
  private rekey(bits: number): void {
    const keys = this.keys;
    const records = this.records;
    const oldMask = this.slotMask;
    const mask = (1 << bits) - 1;
    for (let p = 1; p <= this.heapSize; p++) {
      const key = keys[p]!;
      scratch[0] = key;
      const word = words[LO]!;
      const slot = word & oldMask;
      const moved = word & mask & ~oldMask; // the time's bits that join the slot field
      records[slot * RECORD + TAG_LOW]! |= moved;
      keys[p] = key - moved * ULP[words[HI]! >>> 20]!;
    }
    this.slotBits = bits;
    this.slotMask = mask;
    for (let i = this.heapSize >> 1; i >= 1; i--) this.siftDown(i, keys[i]!);
  }
}
