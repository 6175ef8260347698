/** Shown instead of a page whose data the API server could not give (it is down or failing). */
export function ServerUnreachable({ detail }: { detail?: string }) {
  return (
    <section className="card stack" aria-labelledby="server-down-title">
      <div className="notice notice--danger" role="alert">
        <strong id="server-down-title">The payment server is not reachable</strong>
        This page needs the Tollgate server, which did not answer. Nothing was charged. Try again in
        a moment.
      </div>
      {detail ? <p className="muted">{detail}</p> : null}
      <div className="button-row">
        <a className="button button--secondary" href="">
          Try again
        </a>
      </div>
    </section>
  );
}
