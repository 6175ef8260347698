/**
 * BTP server URLs. The ilp-plugin-btp form `btp+ws://user:token@host:port/path` (or
 * `btp+wss://`) carries the credentials; they are removed from the URL that is dialled
 * (so they never reach logs or proxies as userinfo) and sent in the auth message instead.
 * Plain `ws://` / `wss://` URLs take the credentials from separate options.
 */

export interface BtpEndpoint {
  /** What to dial: `ws:` or `wss:`, no userinfo. */
  url: string;
  username: string;
  token: string;
}

/**
 * Splits a BTP URL into the WebSocket URL and the credentials. Credentials may come from
 * the URL or from `credentials`, not both (as ilp-plugin-btp). Throws TypeError when the
 * URL is unusable.
 */
export function parseBtpUrl(
  btpUrl: string,
  credentials: { username?: string; token?: string } = {},
): BtpEndpoint {
  const text = btpUrl.startsWith('btp+') ? btpUrl.slice(4) : btpUrl;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(`invalid BTP URL: ${redact(btpUrl)}`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new TypeError(`BTP URL must be btp+ws:, btp+wss:, ws: or wss:, got ${url.protocol}`);
  }
  const inUrl = url.username !== '' || url.password !== '';
  if (inUrl && (credentials.username !== undefined || credentials.token !== undefined)) {
    throw new TypeError('give the BTP username/token in the URL or as options, not both');
  }
  const username = inUrl ? decodeURIComponent(url.username) : (credentials.username ?? '');
  const token = inUrl ? decodeURIComponent(url.password) : (credentials.token ?? '');
  url.username = '';
  url.password = '';
  return { url: url.toString(), username, token };
}

/** The URL without its password, for error messages. */
export function redact(btpUrl: string): string {
  return btpUrl.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
