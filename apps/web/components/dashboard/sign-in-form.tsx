'use client';
/** Signing in to the dashboard with a merchant API key (checked against `GET /api/me`). */
import { useId, useState, type FormEvent } from 'react';

export function SignInForm({
  busy,
  error,
  onSubmit,
}: {
  busy: boolean;
  error: string | undefined;
  onSubmit: (apiKey: string, remember: boolean) => void;
}) {
  const [apiKey, setApiKey] = useState('');
  const [remember, setRemember] = useState(false);
  const errorId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (apiKey.trim()) onSubmit(apiKey.trim(), remember);
  };
  return (
    <section className="card stack dash-sign-in" aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">Sign in</h2>
      <p className="muted" style={{ margin: 0 }}>
        Use one of your merchant API keys (it starts with <code>tg_key_</code>). It is kept in this
        browser only, for this tab unless you tick the box below.
      </p>
      <form onSubmit={submit} className="stack" noValidate>
        <div>
          <label htmlFor="api-key">Merchant API key</label>
          <input
            id="api-key"
            name="api-key"
            className="input"
            type="password"
            autoComplete="off"
            spellCheck={false}
            required
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
          />
        </div>
        <div className="dash-checkbox">
          <input
            id="remember"
            type="checkbox"
            checked={remember}
            onChange={(e) => setRemember(e.target.checked)}
          />
          <label htmlFor="remember">Keep me signed in on this device</label>
        </div>
        {error ? (
          <div
            className="notice notice--danger"
            role="alert"
            id={errorId}
            data-testid="sign-in-error"
          >
            {error}
          </div>
        ) : null}
        <div className="button-row">
          <button type="submit" className="button" disabled={busy || !apiKey.trim()}>
            {busy ? 'Checking…' : 'Sign in'}
          </button>
        </div>
      </form>
    </section>
  );
}
