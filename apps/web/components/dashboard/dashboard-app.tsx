'use client';
/**
 * The merchant dashboard's root: signed out, it asks for an API key and checks it with
 * `GET /api/me`; signed in, it shows the dashboard for that merchant. A key the server stops
 * accepting (revoked) signs the page out with a message.
 */
import { useCallback, useEffect, useState } from 'react';
import { isApiError } from '@/lib/api/client';
import { createDashboardApi } from '@/lib/dashboard/dashboard-api';
import type { MerchantProfile } from '@/lib/dashboard/dashboard-types';
import { forgetMerchantKey, loadMerchantKey, saveMerchantKey } from '@/lib/dashboard/key-store';
import { DashboardView } from './dashboard-view';
import { SignInForm } from './sign-in-form';

type Auth =
  | { status: 'checking' }
  | { status: 'signed-out'; error?: string }
  | { status: 'signed-in'; apiKey: string; merchant: MerchantProfile };

export function DashboardApp({ publicApiUrl }: { publicApiUrl: string }) {
  const [auth, setAuth] = useState<Auth>({ status: 'checking' });
  const [busy, setBusy] = useState(false);

  const check = useCallback(async (apiKey: string): Promise<Auth> => {
    try {
      const merchant = await createDashboardApi(apiKey).me();
      return { status: 'signed-in', apiKey, merchant };
    } catch (error) {
      if (isApiError(error) && error.kind === 'unauthorized') {
        return {
          status: 'signed-out',
          error:
            'This API key was not accepted. Check that you copied the whole key, and that it has not been revoked.',
        };
      }
      return {
        status: 'signed-out',
        error: isApiError(error) ? error.message : 'The key could not be checked.',
      };
    }
  }, []);

  useEffect(() => {
    const stored = loadMerchantKey();
    if (!stored) {
      setAuth({ status: 'signed-out' });
      return;
    }
    void check(stored.apiKey).then((next) => {
      if (next.status !== 'signed-in') forgetMerchantKey();
      setAuth(next);
    });
  }, [check]);

  const signIn = useCallback(
    async (apiKey: string, remember: boolean) => {
      setBusy(true);
      const next = await check(apiKey);
      if (next.status === 'signed-in') saveMerchantKey(apiKey, remember);
      setAuth(next);
      setBusy(false);
    },
    [check],
  );

  const signOut = useCallback((reason?: string) => {
    forgetMerchantKey();
    setAuth({ status: 'signed-out', error: reason });
  }, []);

  if (auth.status === 'checking') return <p className="muted">Loading the dashboard…</p>;
  if (auth.status === 'signed-out') {
    return <SignInForm busy={busy} error={auth.error} onSubmit={signIn} />;
  }
  return (
    <DashboardView
      apiKey={auth.apiKey}
      merchant={auth.merchant}
      publicApiUrl={publicApiUrl}
      onSignOut={signOut}
    />
  );
}
