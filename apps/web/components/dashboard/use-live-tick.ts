/**
 * The dashboard's clock for live updates: a counter that moves every `intervalMs` while the
 * tab is visible, at once when it becomes visible again, and on demand (after the merchant
 * creates something). Polling, not a push stream: the merchant API has no event stream, the
 * figures it polls are a few indexed queries, it stops entirely in a hidden tab, and it goes
 * through the same-origin proxy without holding a connection open on the web server.
 */
import { useCallback, useEffect, useState } from 'react';

export function useLiveTick(intervalMs: number) {
  const [tick, setTick] = useState(0);
  const [updatedAt, setUpdatedAt] = useState<Date>();
  const bump = useCallback(() => {
    setTick((n) => n + 1);
    setUpdatedAt(new Date());
  }, []);

  useEffect(() => {
    setUpdatedAt(new Date());
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') bump();
    }, intervalMs);
    const onVisibility = () => {
      if (document.visibilityState === 'visible') bump();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [bump, intervalMs]);

  return { tick, updatedAt, refresh: bump };
}
