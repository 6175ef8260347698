/**
 * Reassembly of one stream's incoming bytes: fragments may arrive in any order (packets in
 * flight together, retransmissions after a Reject), are kept until the gap before them is
 * filled, and come out exactly once, in order. RFC 29 says fragments never overlap and a
 * resend repeats the same offset and bytes; a repeated or partly overlapping fragment is
 * still handled safely (the already-delivered part is dropped).
 */
interface Fragment {
  offset: number;
  data: Uint8Array;
}

export class IncomingData {
  /** Bytes before this offset have been handed out in order. */
  deliveredOffset = 0;
  /** One past the highest byte received (what flow control counts). */
  highestOffset = 0;
  private readonly pending: Fragment[] = [];

  /** Bytes received but held back waiting for an earlier gap to fill. */
  get bufferedOutOfOrder(): number {
    let total = 0;
    for (const f of this.pending) total += f.data.length;
    return total;
  }

  /**
   * Adds a fragment; returns the bytes that became contiguous (possibly none). The
   * caller checks flow control against `highestOffset` afterwards.
   */
  push(offset: number, data: Uint8Array): Uint8Array[] {
    const end = offset + data.length;
    if (end > this.highestOffset) this.highestOffset = end;
    if (end <= this.deliveredOffset || data.length === 0) return [];
    // keep `pending` sorted by offset; an exact duplicate of a pending fragment is dropped
    let i = this.pending.length;
    while (i > 0 && this.pending[i - 1].offset > offset) i--;
    const before = this.pending[i - 1];
    if (before && before.offset === offset && before.data.length >= data.length) return [];
    this.pending.splice(i, 0, { offset, data });
    const out: Uint8Array[] = [];
    while (this.pending.length > 0 && this.pending[0].offset <= this.deliveredOffset) {
      const fragment = this.pending.shift() as Fragment;
      const fragmentEnd = fragment.offset + fragment.data.length;
      if (fragmentEnd <= this.deliveredOffset) continue;
      out.push(fragment.data.subarray(this.deliveredOffset - fragment.offset));
      this.deliveredOffset = fragmentEnd;
    }
    return out;
  }
}
