/** Timers that never keep a Node process alive (unref when available; browsers have none). */
export type TimerHandle = ReturnType<typeof setTimeout>;

export function unrefTimer(handle: TimerHandle): TimerHandle {
  const maybe = handle as unknown as { unref?: () => void };
  if (typeof maybe.unref === 'function') maybe.unref();
  return handle;
}

/** A plain delay (kept referenced: a payment backing off should not let the process exit). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
