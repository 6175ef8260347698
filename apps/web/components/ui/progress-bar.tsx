/**
 * A progress bar whose box never changes size (no layout shift): progress moves only the
 * fill's transform. `value` is in hundredths of a percent (0..10000).
 */
export type ProgressTone = 'active' | 'complete' | 'failed';

export function ProgressBar({
  value,
  label,
  tone = 'active',
  valueText,
}: {
  value: number;
  label: string;
  tone?: ProgressTone;
  valueText: string;
}) {
  const clamped = Math.max(0, Math.min(10_000, Math.trunc(value)));
  const toneClass = tone === 'active' ? '' : ` progress--${tone}`;
  return (
    <div
      className={`progress${toneClass}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.floor(clamped / 100)}
      aria-valuetext={valueText}
      data-basis-points={clamped}
    >
      <div className="progress__fill" style={{ transform: `scaleX(${clamped / 10_000})` }} />
    </div>
  );
}
