'use client';
/**
 * Cursor paging for the dashboard's lists. The API pages forward only (`nextCursor`), so the
 * cursors of the pages already seen are kept to go back.
 */
import { useCallback, useState } from 'react';

export function usePager() {
  const [stack, setStack] = useState<(string | undefined)[]>([undefined]);
  const cursor = stack[stack.length - 1];
  const next = useCallback((nextCursor: string) => setStack((s) => [...s, nextCursor]), []);
  const previous = useCallback(() => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)), []);
  const reset = useCallback(() => setStack([undefined]), []);
  return { cursor, page: stack.length, next, previous, reset };
}

export function Pager({
  pager,
  nextCursor,
  label,
}: {
  pager: ReturnType<typeof usePager>;
  nextCursor: string | null;
  label: string;
}) {
  return (
    <nav className="dash-pager" aria-label={`Pages of ${label}`}>
      <button
        type="button"
        className="button button--secondary"
        onClick={pager.previous}
        disabled={pager.page === 1}
      >
        Newer
      </button>
      <span className="muted" aria-live="polite">
        Page {pager.page}
      </span>
      <button
        type="button"
        className="button button--secondary"
        onClick={() => nextCursor && pager.next(nextCursor)}
        disabled={!nextCursor}
      >
        Older
      </button>
    </nav>
  );
}
