/**
 * Runs an async task every `intervalMs`, never two runs at once, and stops cleanly: `stop()`
 * waits for a run in progress, so nothing touches the database after shutdown began. A
 * failing run is reported and the next one runs on schedule.
 */
export class IntervalTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    private readonly task: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => void this.runNow(), this.intervalMs);
    this.timer.unref();
  }

  /** Runs the task now unless a run is in progress (then waits for that one). */
  runNow(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= this.task()
      .catch((error: unknown) => this.onError(error))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
