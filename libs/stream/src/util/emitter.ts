/**
 * A minimal typed event emitter (no `node:events`, so it runs in browsers). A listener
 * that throws does not break the protocol state machine: its error is caught and passed
 * to the `onListenerError` hook (default: ignored).
 */
type Listener<A extends unknown[]> = (...args: A) => void;
type AnyListener = (...args: unknown[]) => void;

export class Emitter<Events extends { [K in keyof Events]: unknown[] }> {
  private readonly listeners = new Map<keyof Events, AnyListener[]>();
  onListenerError: (error: unknown, event: keyof Events) => void = () => undefined;

  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): this {
    const list = this.listeners.get(event) ?? [];
    list.push(listener as unknown as AnyListener);
    this.listeners.set(event, list);
    return this;
  }

  once<K extends keyof Events>(event: K, listener: Listener<Events[K]>): this {
    const wrapper = (...args: Events[K]): void => {
      this.off(event, wrapper);
      listener(...args);
    };
    return this.on(event, wrapper);
  }

  off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): this {
    const list = this.listeners.get(event);
    if (list) {
      const index = list.indexOf(listener as unknown as AnyListener);
      if (index >= 0) list.splice(index, 1);
    }
    return this;
  }

  listenerCount(event: keyof Events): number {
    return this.listeners.get(event)?.length ?? 0;
  }

  protected emit<K extends keyof Events>(event: K, ...args: Events[K]): void {
    const list = this.listeners.get(event);
    if (!list || list.length === 0) return;
    for (const listener of [...list]) {
      try {
        listener(...(args as unknown[]));
      } catch (error) {
        this.onListenerError(error, event);
      }
    }
  }
}
