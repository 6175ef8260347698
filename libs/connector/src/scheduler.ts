/**
 * Time and timers behind one small interface, so tests can drive every timer of the
 * connector (expiry sweeps, CCP heartbeats and retries, journal retries) with a fake clock
 * and `Connector.stop()` can clear all of them. The default reads the global functions at
 * call time, so vitest's fake timers apply to it too.
 */
export type TimerHandle = unknown;

export interface Scheduler {
  /** Milliseconds since the epoch (`Date.now()`): the connector compares numbers, not Dates. */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /** Runs `callback` after pending I/O callbacks of this loop turn (the journal's group commit). */
  setImmediate(callback: () => void): TimerHandle;
  clearImmediate(handle: TimerHandle): void;
}

interface Unrefable {
  unref?: () => void;
}

/** Real time. Timers are unref'd: the app's servers, not the connector, keep the process alive. */
export const systemScheduler: Scheduler = {
  now: () => Date.now(),
  setTimeout(callback, delayMs) {
    const handle = setTimeout(callback, delayMs) as unknown as Unrefable;
    handle.unref?.();
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
  setImmediate(callback) {
    return setImmediate(callback);
  },
  clearImmediate(handle) {
    clearImmediate(handle as ReturnType<typeof setImmediate>);
  },
};
