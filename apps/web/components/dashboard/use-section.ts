/**
 * One dashboard section's data: loaded, then reloaded on every live tick. The last good data
 * stays on screen while a reload runs or fails, so sections never flash or jump. A route this
 * node does not have (404 without an error code) makes the section "unavailable" rather
 * than broken; a refused key signs the dashboard out.
 */
import { useEffect, useRef, useState } from 'react';
import { isApiError } from '@/lib/api/client';

export type SectionState<T> =
  | { status: 'loading' }
  | { status: 'ready'; data: T }
  | { status: 'unavailable'; message: string }
  | { status: 'error'; message: string; data?: T; forbidden?: boolean };

export function useSection<T>(
  load: () => Promise<T>,
  tick: number,
  onUnauthorized: () => void,
): SectionState<T> {
  const [state, setState] = useState<SectionState<T>>({ status: 'loading' });
  const last = useRef<T | undefined>(undefined);
  const previousLoad = useRef(load);

  useEffect(() => {
    let cancelled = false;
    // A new query (filters, page, bucket) shows "loading"; a live tick keeps the last data.
    if (previousLoad.current !== load) {
      previousLoad.current = load;
      last.current = undefined;
      setState({ status: 'loading' });
    }
    load().then(
      (data) => {
        if (cancelled) return;
        last.current = data;
        setState({ status: 'ready', data });
      },
      (error: unknown) => {
        if (cancelled) return;
        if (isApiError(error) && error.kind === 'unauthorized') {
          onUnauthorized();
          return;
        }
        if (isApiError(error) && error.kind === 'not-found' && error.code === undefined) {
          setState({ status: 'unavailable', message: 'Not available on this node yet.' });
          return;
        }
        const message = isApiError(error) ? error.message : 'This section could not be loaded.';
        const forbidden = isApiError(error) && error.status === 403;
        setState({ status: 'error', message, data: last.current, forbidden });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [load, tick, onUnauthorized]);

  return state;
}

/** The data to show: fresh, or the last good one when a reload failed. */
export function sectionData<T>(state: SectionState<T>): T | undefined {
  if (state.status === 'ready') return state.data;
  if (state.status === 'error') return state.data;
  return undefined;
}
