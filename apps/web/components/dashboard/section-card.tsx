/**
 * The frame of a dashboard section: a titled card that shows its content, or why it has
 * none (loading, not available on this node, an error), in the same box so nothing jumps.
 */
import type { ReactNode } from 'react';
import type { SectionState } from './use-section';

export function SectionCard<T>({
  id,
  title,
  state,
  actions,
  toolbar,
  minHeight,
  children,
}: {
  id: string;
  title: string;
  state: SectionState<T>;
  actions?: ReactNode;
  /** Shown whatever the state (filters), so it keeps what the merchant typed. */
  toolbar?: ReactNode;
  /** Room kept from the first paint (px), so content arriving does not push the page. */
  minHeight?: number;
  children: (data: T) => ReactNode;
}) {
  const data = state.status === 'ready' || state.status === 'error' ? state.data : undefined;
  return (
    <section
      className="card dash-section"
      aria-labelledby={`${id}-title`}
      aria-busy={state.status === 'loading'}
      data-testid={`section-${id}`}
    >
      <div className="dash-section__head">
        <h2 id={`${id}-title`}>{title}</h2>
        {actions}
      </div>
      {toolbar}
      <div style={minHeight ? { minHeight } : undefined}>
        {state.status === 'error' && state.forbidden ? (
          <div className="notice notice--info" role="status">
            <strong>Not shown to this merchant</strong>
            {state.message}
          </div>
        ) : null}
        {state.status === 'error' && !state.forbidden ? (
          <div className="notice notice--danger" role="alert">
            {state.message}
          </div>
        ) : null}
        {state.status === 'unavailable' ? (
          <div className="notice notice--warning" role="status">
            <strong>Unavailable</strong>
            {state.message}
          </div>
        ) : null}
        {state.status === 'loading' ? <p className="muted">Loading…</p> : null}
        {data !== undefined ? children(data) : null}
      </div>
    </section>
  );
}
