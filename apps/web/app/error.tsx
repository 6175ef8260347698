'use client';
/** Anything a page did not expect: a message and a retry, never a blank page. */
export default function PageError({ reset }: { error: Error; reset: () => void }) {
  return (
    <section className="card stack" aria-labelledby="error-title">
      <div className="notice notice--danger" role="alert">
        <strong id="error-title">Something went wrong on this page</strong>
        Nothing was charged. Try again; if it keeps happening, the payment server may be down.
      </div>
      <div className="button-row">
        <button type="button" className="button button--secondary" onClick={reset}>
          Try again
        </button>
      </div>
    </section>
  );
}
