/**
 * The reading meter: what the session bought and used (the server's figures), what this
 * visit spent (the `monetization` events), and what the payment is doing. Every cell keeps
 * its size whatever it shows, so the article below never moves as the numbers change.
 */
export interface MeterStatus {
  tone: 'muted' | 'success' | 'danger';
  text: string;
}

export function ReadingMeter({
  status,
  perSecond,
  secondsBought,
  usedSeconds,
  spent,
  paidTotal,
  stale,
}: {
  status: MeterStatus;
  perSecond: boolean;
  secondsBought: string | null;
  usedSeconds: number | undefined;
  spent: string;
  paidTotal: string | undefined;
  stale: boolean;
}) {
  return (
    <section className="card reading-meter" aria-labelledby="meter-title">
      <h2 id="meter-title" className="visually-hidden">
        Reading meter
      </h2>
      <p
        className={`reading-meter__status reading-meter__status--${status.tone}`}
        aria-live="polite"
        data-testid="meter-status"
      >
        {status.text}
      </p>
      <dl className="stats reading-meter__stats">
        <div>
          <dt>{perSecond ? 'Time bought' : 'Access'}</dt>
          <dd data-testid="time-bought">
            {perSecond
              ? secondsBought === null
                ? '—'
                : duration(Number(secondsBought))
              : paidTotal === undefined
                ? '—'
                : 'Per view'}
          </dd>
        </div>
        <div>
          <dt>Time read</dt>
          <dd data-testid="time-read">
            {usedSeconds === undefined ? '—' : duration(Math.floor(usedSeconds))}
          </dd>
        </div>
        <div>
          <dt>Spent this visit</dt>
          <dd data-testid="spent">{spent}</dd>
        </div>
      </dl>
      <p className="muted reading-meter__total">
        {paidTotal === undefined ? (
          ' '
        ) : (
          <>
            Received by the publisher for this session:{' '}
            <span data-testid="paid-total">{paidTotal}</span>
            {stale ? ' (reconnecting…)' : ''}
          </>
        )}
      </p>
    </section>
  );
}

/** `75` → `1 min 15 s`. */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.floor(seconds);
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  const rest = s % 60;
  if (minutes < 60) return `${minutes} min ${String(rest).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
