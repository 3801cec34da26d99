/** A growable FIFO of integers on an Int32Array ring (request queues, timeout order). */
export class IntRing {
  private buf: Int32Array;
  private head = 0;
  private _size = 0;

  constructor(capacity = 64) {
    this.buf = new Int32Array(Math.max(4, capacity));
  }

  get size(): number {
    return this._size;
  }

  push(value: number): void {
    if (this._size === this.buf.length) {
      const next = new Int32Array(this.buf.length * 2);
      for (let i = 0; i < this._size; i++) next[i] = this.buf[(this.head + i) % this.buf.length]!;
      this.buf = next;
      this.head = 0;
    }
    this.buf[(this.head + this._size) % this.buf.length] = value;
    this._size++;
  }

  peek(): number {
    return this.buf[this.head]!;
  }

  shift(): number {
    const v = this.buf[this.head]!;
    this.head = (this.head + 1) % this.buf.length;
    this._size--;
    return v;
  }

  /** Removes every element, calling `each` on it in FIFO order. */
  drain(each: (value: number) => void): void {
    while (this._size > 0) each(this.shift());
  }
}
