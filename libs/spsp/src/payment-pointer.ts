/**
 * Payment pointers (RFC 26): `$host/path` names the SPSP endpoint `https://host/path`, and
 * `$host` (or `$host/`) names `https://host/.well-known/pay`. The grammar has no userinfo,
 * port, query or fragment; `allowInsecure` relaxes it for local development only (a port,
 * and `http://` for localhost).
 */
import { SpspError, SpspErrorCode } from './spsp-error';

export const WELL_KNOWN_PAY = '/.well-known/pay';

export interface ResolveOptions {
  /** Allow `$localhost:8080/x` → `http://localhost:8080/x` (development and tests). */
  allowInsecure?: boolean;
}

const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
// RFC 3986 path-abempty characters (pchar and "/"), percent-encoding included.
const PATH = /^(?:\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*)*$/;

export function isPaymentPointer(text: string, options: ResolveOptions = {}): boolean {
  try {
    resolvePaymentPointer(text, options);
    return true;
  } catch {
    return false;
  }
}

/** `$example.com/bob` → `https://example.com/bob`. Throws SpspError(InvalidPointer). */
export function resolvePaymentPointer(pointer: string, options: ResolveOptions = {}): string {
  const bad = (why: string): never => {
    throw new SpspError(
      SpspErrorCode.InvalidPointer,
      `invalid payment pointer ${JSON.stringify(pointer)}: ${why}`,
    );
  };
  if (typeof pointer !== 'string' || !pointer.startsWith('$')) bad('it must start with "$"');
  if (/[^\x21-\x7e]/.test(pointer)) bad('only visible ASCII characters are allowed');
  const rest = pointer.slice(1);
  const slash = rest.indexOf('/');
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? '' : rest.slice(slash);
  if (authority.includes('@')) bad('userinfo is not allowed');
  if (rest.includes('?')) bad('a query is not allowed');
  if (rest.includes('#')) bad('a fragment is not allowed');
  let host = authority;
  let port = '';
  const colon = authority.lastIndexOf(':');
  if (colon !== -1) {
    if (!options.allowInsecure) bad('a port is not allowed');
    host = authority.slice(0, colon);
    port = authority.slice(colon + 1);
    if (!/^[0-9]{1,5}$/.test(port) || Number(port) > 65535) bad('the port is not a number');
  }
  if (!HOST.test(host)) bad('the host is not a valid domain name');
  if (!PATH.test(path)) bad('the path has characters a URL path cannot hold');
  const scheme = options.allowInsecure && isLocalHost(host) ? 'http' : 'https';
  const finalPath = path === '' || path === '/' ? WELL_KNOWN_PAY : path;
  return `${scheme}://${host}${port ? `:${port}` : ''}${finalPath}`;
}

/**
 * The endpoint to query for what a user typed: a payment pointer, or an http(s) URL used as
 * the endpoint itself (clients accept both; only pointers are shown to people).
 */
export function spspEndpoint(pointerOrUrl: string, options: ResolveOptions = {}): string {
  if (pointerOrUrl.startsWith('$')) return resolvePaymentPointer(pointerOrUrl, options);
  let url: URL;
  try {
    url = new URL(pointerOrUrl);
  } catch {
    throw new SpspError(
      SpspErrorCode.InvalidPointer,
      `neither a payment pointer nor a URL: ${JSON.stringify(pointerOrUrl)}`,
    );
  }
  if (url.protocol !== 'https:' && !(options.allowInsecure && url.protocol === 'http:')) {
    throw new SpspError(
      SpspErrorCode.InvalidPointer,
      `SPSP endpoints must be https:// URLs: ${pointerOrUrl}`,
    );
  }
  return url.toString();
}

/** The pointer people should see for an endpoint URL, e.g. `https://x.com/.well-known/pay` → `$x.com`. */
export function toPaymentPointer(endpoint: string): string {
  const url = new URL(endpoint);
  const insecure = url.protocol === 'http:';
  if (url.protocol !== 'https:' && !insecure)
    throw new SpspError(SpspErrorCode.InvalidPointer, `not an http(s) URL: ${endpoint}`);
  if (url.search || url.hash || url.username || url.password) {
    throw new SpspError(
      SpspErrorCode.InvalidPointer,
      `a payment pointer cannot carry a query, fragment or credentials: ${endpoint}`,
    );
  }
  const path = url.pathname === WELL_KNOWN_PAY ? '' : url.pathname === '/' ? '' : url.pathname;
  return `$${url.host}${path}`;
}

function isLocalHost(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || /^127(\.[0-9]{1,3}){3}$/.test(host);
}
