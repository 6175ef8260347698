/**
 * The demo wallet's id and token, kept in this browser's localStorage (the server only has
 * the token's hash, so losing it loses the wallet: the wallet page shows it for backup).
 */
import type { WalletCredentials } from './api/types';

const KEY = 'tollgate.demoWallet';

export function loadWallet(): WalletCredentials | undefined {
  try {
    const raw = window.localStorage.getItem(KEY);
    if (!raw) return undefined;
    const value = JSON.parse(raw) as Partial<WalletCredentials>;
    return typeof value.id === 'string' && typeof value.token === 'string'
      ? { id: value.id, token: value.token }
      : undefined;
  } catch {
    return undefined; // storage blocked or corrupt: behave as if there were no wallet
  }
}

export function saveWallet(credentials: WalletCredentials): void {
  window.localStorage.setItem(KEY, JSON.stringify(credentials));
}

export function forgetWallet(): void {
  window.localStorage.removeItem(KEY);
}
