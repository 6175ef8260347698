/**
 * A background loop: runs one round, sleeps for as long as the round asked (or until
 * kicked), again until stopped. A round that throws is logged and retried after a pause;
 * `stop()` wakes the sleep and waits for the round in progress to finish.
 */
import type { Logger } from 'pino';

export class Worker {
  private running?: Promise<void>;
  private wake?: () => void;
  private kicked = false;
  private stopped = false;

  constructor(
    private readonly name: string,
    /** One pass; resolves with the milliseconds to wait before the next. */
    private readonly round: () => Promise<number>,
    private readonly log: Logger,
    private readonly errorPauseMs = 1000,
  ) {}

  get stopping(): boolean {
    return this.stopped;
  }

  start(): void {
    if (this.running) return;
    this.running = this.loop();
  }

  /** Run a round now (or right after the current one). */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      this.kicked = false;
      let waitMs: number;
      try {
        waitMs = await this.round();
      } catch (error) {
        if (this.stopped) break;
        this.log.error({ worker: this.name, err: error }, 'background round failed');
        waitMs = this.errorPauseMs;
      }
      if (this.stopped) break;
      if (this.kicked) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.max(0, waitMs));
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.wake = done;
      });
      this.wake = undefined;
    }
  }
}
