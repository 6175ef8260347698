/**
 * Where the dashboard keeps the merchant's API key: sessionStorage by default (gone when the
 * tab closes), localStorage when the merchant asks to stay signed in on this device. Signing
 * out clears both.
 */
const KEY = 'tollgate.merchantKey';

export function loadMerchantKey(): { apiKey: string; remember: boolean } | undefined {
  try {
    const session = window.sessionStorage.getItem(KEY);
    if (session) return { apiKey: session, remember: false };
    const local = window.localStorage.getItem(KEY);
    if (local) return { apiKey: local, remember: true };
  } catch {
    // storage blocked: sign in again
  }
  return undefined;
}

export function saveMerchantKey(apiKey: string, remember: boolean): void {
  forgetMerchantKey();
  try {
    (remember ? window.localStorage : window.sessionStorage).setItem(KEY, apiKey);
  } catch {
    // storage blocked: the key lives in memory for this page only
  }
}

export function forgetMerchantKey(): void {
  try {
    window.sessionStorage.removeItem(KEY);
    window.localStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
}
