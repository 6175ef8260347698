/**
 * The reader's paid session as React state: resumed from localStorage or started, then kept
 * honest with the server. The server measures reading time between beats, so this hook
 * reads the content (a visible beat) every `heartbeatSeconds` while the page is visible,
 * says `visible: false` when it is hidden or left, and reads again when it comes back.
 * What is unlocked is always the server's answer, never a guess from money sent.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { isApiError } from '@/lib/api/client';
import { createContentApi, type ArticleRef } from '@/lib/content/content-api';
import type { ReadSessionState, StoredReadSession } from '@/lib/content/content-types';
import {
  forgetReadSession,
  loadReadSession,
  saveReadSession,
} from '@/lib/content/read-session-store';

export type ReadSessionStatus =
  | { status: 'starting' }
  | { status: 'ready'; session: StoredReadSession }
  | { status: 'error'; message: string };

/** Extra reads after money arrives are at most this frequent. */
const REFRESH_GAP_MS = 700;

export function useReadSession(apiUrl: string, merchant: string | undefined, slug: string) {
  const api = useMemo(() => createContentApi(apiUrl), [apiUrl]);
  const ref = useMemo<ArticleRef>(() => ({ merchant, slug }), [merchant, slug]);
  const [status, setStatus] = useState<ReadSessionStatus>({ status: 'starting' });
  const [state, setState] = useState<ReadSessionState>();
  /** True while the last beat failed (the server is unreachable); the last answer stays. */
  const [stale, setStale] = useState(false);
  const sessionRef = useRef<StoredReadSession | undefined>(undefined);
  const lastRead = useRef(0);
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const receiptQueue = useRef<{ busy: boolean; next: string | undefined }>({
    busy: false,
    next: undefined,
  });

  const visible = () => document.visibilityState === 'visible';

  const apply = useCallback((next: ReadSessionState) => {
    setState(next);
    setStale(false);
  }, []);

  /** A beat that says what the page is doing now. */
  const beat = useCallback(
    async (session: StoredReadSession): Promise<ReadSessionState> => {
      if (visible()) {
        lastRead.current = Date.now();
        return api.read(session);
      }
      return api.heartbeat(session, false);
    },
    [api],
  );

  const beatAndApply = useCallback(async () => {
    const session = sessionRef.current;
    if (!session) return;
    try {
      apply(await beat(session));
    } catch {
      setStale(true);
    }
  }, [apply, beat]);

  // Resume the stored session, or start one.
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const stored = loadReadSession(ref);
      if (stored) {
        try {
          const first = await beat(stored);
          if (cancelled) return;
          sessionRef.current = stored;
          setStatus({ status: 'ready', session: stored });
          apply(first);
          return;
        } catch (error) {
          if (cancelled) return;
          if (!isApiError(error) || (error.kind !== 'unauthorized' && error.kind !== 'not-found')) {
            setStatus({ status: 'error', message: message(error) });
            return;
          }
          forgetReadSession(ref); // this node no longer knows it (e.g. a fresh database)
        }
      }
      try {
        const created = await api.startSession(ref);
        if (cancelled) return;
        const session = saveReadSession(ref, created);
        sessionRef.current = session;
        setStatus({ status: 'ready', session });
        apply(await beat(session));
      } catch (error) {
        if (!cancelled) setStatus({ status: 'error', message: message(error) });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [api, apply, beat, ref]);

  const session = status.status === 'ready' ? status.session : undefined;

  // Beats while visible, a pause when hidden or left, a read when seen again.
  useEffect(() => {
    if (!session) return;
    const period = Math.max(1, session.heartbeatSeconds) * 1000;
    const timer = setInterval(() => {
      if (visible()) void beatAndApply();
    }, period);
    const onVisibility = () => {
      if (visible()) void beatAndApply();
      else void api.heartbeat(session, false).then(apply, () => setStale(true));
    };
    const onPageHide = () => void api.heartbeat(session, false).catch(() => undefined);
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('pagehide', onPageHide);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', onPageHide);
      clearTimeout(refreshTimer.current);
    };
  }, [api, apply, beatAndApply, session]);

  /** Money arrived: ask the server soon (it releases the text once it has seen the money). */
  const refreshSoon = useCallback(() => {
    if (refreshTimer.current !== undefined || !visible()) return;
    const wait = Math.max(0, lastRead.current + REFRESH_GAP_MS - Date.now());
    refreshTimer.current = setTimeout(() => {
      refreshTimer.current = undefined;
      void beatAndApply();
    }, wait);
  }, [beatAndApply]);

  /**
   * Posts a `monetization` event's receipt. Receipts are cumulative per stream, so while one
   * is on its way only the newest waiting one is worth sending next.
   */
  const postReceipt = useCallback(
    (receipt: string) => {
      const queue = receiptQueue.current;
      queue.next = receipt;
      if (queue.busy) return;
      const drain = async () => {
        queue.busy = true;
        while (queue.next !== undefined && sessionRef.current) {
          const next = queue.next;
          queue.next = undefined;
          try {
            apply(await api.postReceipt(sessionRef.current, next));
          } catch {
            // A refused receipt adds nothing and changes nothing: the beats carry on.
          }
        }
        queue.busy = false;
      };
      void drain();
    },
    [api, apply],
  );

  return { status, session, state, stale, refreshSoon, postReceipt };
}

function message(error: unknown): string {
  if (isApiError(error)) {
    return error.kind === 'unreachable'
      ? 'The payment server cannot be reached, so this article cannot be unlocked right now.'
      : error.message;
  }
  return 'The reading session could not be started.';
}
