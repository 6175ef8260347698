/**
 * The browser's demo wallet as React state: credentials from localStorage, the wallet as the
 * server last described it, and the actions (create, top up, restore, forget). Used by the
 * wallet page and the checkout's Pay panel.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { createApi, isApiError } from '@/lib/api/client';
import type { DemoWallet, WalletCredentials } from '@/lib/api/types';
import { forgetWallet, loadWallet, saveWallet } from '@/lib/wallet-store';

export type WalletState =
  | { status: 'loading' }
  | { status: 'none' }
  /** No wallet here, and the node offers none now (demo wallets off, or it cannot be reached). */
  | { status: 'unavailable'; message: string }
  | { status: 'ready'; wallet: DemoWallet; credentials: WalletCredentials }
  | { status: 'error'; message: string; credentials?: WalletCredentials };

export function useDemoWallet(apiUrl: string) {
  const api = useMemo(() => createApi(apiUrl), [apiUrl]);
  const [state, setState] = useState<WalletState>({ status: 'loading' });
  const [busy, setBusy] = useState(false);

  const show = useCallback(
    async (credentials: WalletCredentials, action: () => Promise<DemoWallet>) => {
      try {
        const wallet = await action();
        setState({ status: 'ready', wallet, credentials });
        return true;
      } catch (error) {
        if (isApiError(error) && (error.kind === 'unauthorized' || error.kind === 'not-found')) {
          // This node does not know the stored wallet (e.g. a fresh database): start over.
          forgetWallet();
          setState({ status: 'none' });
          return false;
        }
        setState({
          status: 'error',
          credentials,
          message: isApiError(error) ? error.message : 'The wallet could not be loaded.',
        });
        return false;
      }
    },
    [],
  );

  const refresh = useCallback(async () => {
    const credentials = loadWallet();
    if (!credentials) {
      try {
        await api.demoInfo();
        setState({ status: 'none' });
      } catch (error) {
        setState({
          status: 'unavailable',
          message: isApiError(error) ? error.message : 'Demo wallets cannot be offered right now.',
        });
      }
      return;
    }
    await show(credentials, () => api.wallet(credentials));
  }, [api, show]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const run = useCallback(async (action: () => Promise<void>) => {
    setBusy(true);
    try {
      await action();
    } finally {
      setBusy(false);
    }
  }, []);

  const create = useCallback(
    () =>
      run(async () => {
        try {
          const { wallet, token } = await api.createWallet();
          const credentials = { id: wallet.id, token };
          saveWallet(credentials);
          setState({ status: 'ready', wallet, credentials });
        } catch (error) {
          setState({
            status: 'error',
            message: isApiError(error) ? error.message : 'The wallet could not be created.',
          });
        }
      }),
    [api, run],
  );

  const topUp = useCallback(
    () =>
      run(async () => {
        if (state.status !== 'ready') return;
        const { credentials } = state;
        try {
          setState({ ...state, wallet: await api.topUp(credentials) });
        } catch (error) {
          setState({
            status: 'error',
            credentials,
            message: isApiError(error) ? error.message : 'The top-up failed.',
          });
        }
      }),
    [api, run, state],
  );

  const restore = useCallback(
    (credentials: WalletCredentials) =>
      run(async () => {
        if (await show(credentials, () => api.wallet(credentials))) saveWallet(credentials);
        else setState({ status: 'error', message: 'No wallet with this id and key on this node.' });
      }),
    [api, run, show],
  );

  const forget = useCallback(() => {
    forgetWallet();
    setState({ status: 'none' });
  }, []);

  return { api, state, busy, refresh, create, topUp, restore, forget };
}
