/**
 * A one-line progress bar redrawn in place on a terminal (stderr, so stdout stays clean for
 * scripts). Does nothing when the stream is not a TTY. The filled share comes from bigint
 * amounts: money never passes through a float to draw it.
 */

const WIDTH = 24;
const MIN_REDRAW_MS = 50;

export interface ProgressTarget {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export class ProgressBar {
  private lastDraw = 0;
  private drawn = false;

  constructor(private readonly out: ProgressTarget) {}

  get enabled(): boolean {
    return this.out.isTTY === true;
  }

  /** Redraws with `done / total` filled and `label` after the bar (throttled unless `force`). */
  update(done: bigint, total: bigint, label: string, force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < MIN_REDRAW_MS) return;
    this.lastDraw = now;
    const perMille = total <= 0n ? 1000 : Number((clamp(done, total) * 1000n) / total);
    const filled = Math.floor((perMille * WIDTH) / 1000);
    const percent = `${Math.floor(perMille / 10)}%`.padStart(4);
    let line = `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${percent}  ${label}`;
    const columns = this.out.columns ?? 80;
    if (line.length > columns - 1) line = line.slice(0, columns - 1);
    this.out.write(`\r\x1b[2K${line}`);
    this.drawn = true;
  }

  /** Leaves the last state on screen and moves to a new line. */
  finish(): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}

function clamp(value: bigint, max: bigint): bigint {
  if (value < 0n) return 0n;
  return value > max ? max : value;
}
