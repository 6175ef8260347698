/**
 * Revenue over time as a hand-drawn SVG bar chart: one bar per bucket, heights computed with
 * bigint ratios (money never becomes a float; only pixel sizes do). For screen readers the
 * chart is one image with a summary, and the same numbers are a real table just below.
 */
import type { RevenueBucket, RevenueSeries } from '@/lib/dashboard/dashboard-types';
import { niceCeiling, share } from '@/lib/dashboard/chart-scale';
import { formatAmount } from '@/lib/money';

const WIDTH = 720;
const HEIGHT = 240;
const PLOT = { left: 72, right: 12, top: 12, bottom: 28 };

export function RevenueChart({ series }: { series: RevenueSeries }) {
  const fmt = (amount: bigint | string) =>
    formatAmount(amount, series.assetScale, series.assetCode);
  const amounts = series.buckets.map((b) => BigInt(b.amount));
  const peak = amounts.reduce((max, a) => (a > max ? a : max), 0n);
  // An empty period still gets a scale (one whole unit), so the axis never reads 0, 0, 0.
  const top = peak > 0n ? niceCeiling(peak) : 10n ** BigInt(series.assetScale);
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const plotHeight = HEIGHT - PLOT.top - PLOT.bottom;
  const slot = plotWidth / Math.max(1, series.buckets.length);
  const barWidth = Math.max(1, slot * 0.7);
  const peakIndex = amounts.findIndex((a) => a === peak && peak > 0n);
  const summary =
    peak === 0n
      ? `No revenue in the ${series.buckets.length} ${plural(series.bucket)} shown.`
      : `${fmt(series.total)} in the ${series.buckets.length} ${plural(series.bucket)} shown; ` +
        `the most, ${fmt(peak)}, in the ${series.bucket} starting ${label(series.buckets[peakIndex].start, series.bucket)}.`;
  const ticks = tickIndexes(series.buckets.length);

  return (
    <figure className="revenue-chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby="revenue-chart-title revenue-chart-desc"
        className="revenue-chart__svg"
        data-testid="revenue-chart"
      >
        <title id="revenue-chart-title">Revenue per {series.bucket}</title>
        <desc id="revenue-chart-desc">{summary}</desc>
        {/* The middle line is labelled only when its value is exact in base units. */}
        {[0n, top % 2n === 0n ? top / 2n : undefined, top].map((value, i) => {
          const y = PLOT.top + plotHeight - (i * plotHeight) / 2;
          return (
            <g key={i} aria-hidden="true">
              <line
                x1={PLOT.left}
                x2={WIDTH - PLOT.right}
                y1={y}
                y2={y}
                className="revenue-chart__grid"
              />
              {value === undefined ? null : (
                <text x={PLOT.left - 8} y={y + 4} textAnchor="end" className="revenue-chart__axis">
                  {formatAmount(value, series.assetScale)}
                </text>
              )}
            </g>
          );
        })}
        {series.buckets.map((bucket, i) => {
          const amount = amounts[i];
          if (amount === 0n) return null;
          const height = Math.max(2, share(amount, top) * plotHeight);
          const x = PLOT.left + i * slot + (slot - barWidth) / 2;
          return (
            <rect
              key={bucket.start}
              x={x}
              y={PLOT.top + plotHeight - height}
              width={barWidth}
              height={height}
              rx={Math.min(3, barWidth / 3)}
              className="revenue-chart__bar"
              data-amount={bucket.amount}
            >
              <title>{`${label(bucket.start, series.bucket)}: ${fmt(amount)} (${bucket.payments} ${bucket.payments === 1 ? 'payment' : 'payments'})`}</title>
            </rect>
          );
        })}
        {ticks.map((i) => (
          <text
            key={i}
            x={PLOT.left + i * slot + slot / 2}
            y={HEIGHT - 8}
            textAnchor="middle"
            className="revenue-chart__axis"
            aria-hidden="true"
          >
            {label(series.buckets[i].start, series.bucket, true)}
          </text>
        ))}
      </svg>
      <figcaption className="muted">{summary}</figcaption>
      <details className="revenue-chart__table">
        <summary>Show the numbers as a table</summary>
        <table className="data-table">
          <caption className="visually-hidden">Revenue per {series.bucket}</caption>
          <thead>
            <tr>
              <th scope="col">
                {series.bucket === 'day' ? 'Day (UTC)' : `${capital(series.bucket)} starting`}
              </th>
              <th scope="col" className="num">
                Revenue
              </th>
              <th scope="col" className="num">
                Payments
              </th>
            </tr>
          </thead>
          <tbody>
            {series.buckets
              .filter((b) => b.amount !== '0')
              .map((b) => (
                <tr key={b.start}>
                  <td>{label(b.start, series.bucket)}</td>
                  <td className="num">{fmt(b.amount)}</td>
                  <td className="num">{b.payments}</td>
                </tr>
              ))}
            {peak === 0n ? (
              <tr>
                <td colSpan={3} className="muted">
                  No revenue in this period.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

function tickIndexes(count: number): number[] {
  if (count === 0) return [];
  if (count <= 4) return [...Array(count).keys()];
  return [0, Math.floor(count / 3), Math.floor((2 * count) / 3), count - 1];
}

function label(iso: string, bucket: RevenueBucket, short = false): string {
  const date = new Date(iso);
  if (bucket === 'day') {
    return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
  }
  const time = date.toLocaleTimeString('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
  });
  return short ? time : `${time} UTC`;
}

function plural(bucket: RevenueBucket): string {
  return `${bucket}s`;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
