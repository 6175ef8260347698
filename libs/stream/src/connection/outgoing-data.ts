/**
 * One stream's outgoing bytes: what the application wrote, cut into StreamData fragments
 * that fit the packet and the peer's window. A fragment in a rejected packet is sent again
 * with exactly the same offset and bytes (RFC 29), before any new data.
 */
export interface DataChunk {
  offset: number;
  data: Uint8Array;
}

export class OutgoingData {
  /** Offset of the next byte never sent before. */
  nextOffset = 0;
  /** Bytes written and not yet acknowledged (queued, in flight or waiting for a resend). */
  private unacknowledged = 0;
  private queued: Uint8Array[] = [];
  private queuedBytes = 0;
  private readonly resend: DataChunk[] = [];
  private discarded = false;

  write(data: Uint8Array): void {
    if (data.length === 0 || this.discarded) return;
    this.queued.push(data);
    this.queuedBytes += data.length;
    this.unacknowledged += data.length;
  }

  /** Everything written has been acknowledged by the peer. */
  get drained(): boolean {
    return this.unacknowledged === 0;
  }

  /** Something could go in the next packet (ignoring windows for new bytes). */
  get hasResend(): boolean {
    return this.resend.length > 0;
  }

  get hasQueued(): boolean {
    return this.queuedBytes > 0;
  }

  /** One past the last byte the application has written (what a DataBlocked frame reports). */
  get writtenOffset(): number {
    return this.nextOffset + this.queuedBytes;
  }

  /**
   * The next fragment of at most `maxBytes`: a pending resend first, else new bytes up to
   * `windowEnd` (the peer's max offset for this stream).
   */
  take(maxBytes: number, windowEnd: number): DataChunk | undefined {
    if (maxBytes <= 0) return undefined;
    if (this.resend.length > 0) {
      const chunk = this.resend[0];
      if (chunk.data.length <= maxBytes) return this.resend.shift();
      this.resend[0] = { offset: chunk.offset + maxBytes, data: chunk.data.subarray(maxBytes) };
      return { offset: chunk.offset, data: chunk.data.subarray(0, maxBytes) };
    }
    const room = Math.min(maxBytes, windowEnd - this.nextOffset, this.queuedBytes);
    if (room <= 0) return undefined;
    const parts: Uint8Array[] = [];
    let taken = 0;
    while (taken < room) {
      const head = this.queued[0];
      const want = room - taken;
      if (head.length <= want) {
        parts.push(head);
        this.queued.shift();
        taken += head.length;
      } else {
        parts.push(head.subarray(0, want));
        this.queued[0] = head.subarray(want);
        taken += want;
      }
    }
    this.queuedBytes -= taken;
    const offset = this.nextOffset;
    this.nextOffset += taken;
    return { offset, data: parts.length === 1 ? parts[0] : concat(parts, taken) };
  }

  acknowledge(chunk: DataChunk): void {
    if (!this.discarded) this.unacknowledged -= chunk.data.length;
  }

  /** The packet carrying `chunk` was rejected: send the same bytes again. */
  retry(chunk: DataChunk): void {
    if (this.discarded) return;
    let i = this.resend.length;
    while (i > 0 && this.resend[i - 1].offset > chunk.offset) i--;
    this.resend.splice(i, 0, chunk);
  }

  /** Drops everything not yet acknowledged (the stream closed). */
  discard(): void {
    this.queued = [];
    this.queuedBytes = 0;
    this.resend.length = 0;
    this.unacknowledged = 0;
    this.discarded = true;
  }
}

export function concat(parts: readonly Uint8Array[], total?: number): Uint8Array {
  const size = total ?? parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(size);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
