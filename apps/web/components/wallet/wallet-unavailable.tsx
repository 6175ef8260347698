/**
 * Said where a page would offer a new demo wallet but the node offers none now: demo wallets
 * are turned off, or the server cannot be reached. Never a button that can only fail.
 */
export function WalletUnavailable({
  message,
  busy,
  onRetry,
}: {
  message: string;
  busy: boolean;
  onRetry: () => void;
}) {
  return (
    <div className="stack">
      <div className="notice notice--danger" role="alert" data-testid="wallet-unavailable">
        {message}
      </div>
      <div className="button-row">
        <button
          type="button"
          className="button button--secondary"
          onClick={onRetry}
          disabled={busy}
        >
          Try again
        </button>
      </div>
    </div>
  );
}
