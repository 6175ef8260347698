/**
 * Forwards the dashboard's calls to the merchant API (server side). The API answers merchant
 * routes to its own origin only (no CORS), and the dashboard is served on the web's port, so
 * the browser calls `/dashboard/api/<path>` here and this forwards it with the merchant's
 * key. Only the routes the dashboard uses pass, with only the headers they need: this is
 * not an open proxy, and nothing is logged or kept (the key is in the browser's storage).
 */
import { internalApiUrl } from '../server-config';

interface Allowed {
  method: 'GET' | 'POST';
  path: RegExp;
}

const UUID = '[0-9a-fA-F-]{36}';
const ALLOWED: Allowed[] = [
  { method: 'GET', path: /^me$/ },
  { method: 'GET', path: /^dashboard\/(summary|revenue|peers|settlements)$/ },
  { method: 'GET', path: /^invoices$/ },
  { method: 'GET', path: new RegExp(`^invoices/${UUID}$`) },
  { method: 'GET', path: /^payments$/ },
  { method: 'GET', path: /^content$/ },
  { method: 'POST', path: /^invoices$/ },
  { method: 'POST', path: /^content$/ },
];
const FORWARDED_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'accept'];
/** Articles are the largest bodies (500 paragraphs of 20 000 characters at most). */
const MAX_BODY_BYTES = 12 * 1024 * 1024;

function problem(statusCode: number, code: string, message: string): Response {
  return Response.json({ statusCode, code, message }, { status: statusCode });
}

export async function forwardToMerchantApi(
  request: Request,
  segments: string[],
): Promise<Response> {
  const method = request.method.toUpperCase();
  const path = segments.map((s) => encodeURIComponent(s)).join('/');
  if (!ALLOWED.some((a) => a.method === method && a.path.test(path))) {
    return problem(404, 'not_forwarded', `The dashboard does not forward ${method} /api/${path}.`);
  }
  if (!request.headers.get('authorization')) {
    return problem(401, 'api_key_required', 'Sign in with a merchant API key.');
  }
  const headers = new Headers();
  for (const name of FORWARDED_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  let body: ArrayBuffer | undefined;
  if (method === 'POST') {
    body = await request.arrayBuffer();
    if (body.byteLength > MAX_BODY_BYTES) {
      return problem(413, 'body_too_large', 'The request is too large.');
    }
  }
  const search = new URL(request.url).search;
  let upstream: Response;
  try {
    upstream = await fetch(`${internalApiUrl()}/api/${path}${search}`, {
      method,
      headers,
      body,
      cache: 'no-store',
      redirect: 'manual',
      signal: AbortSignal.timeout(15_000),
    });
  } catch {
    return problem(502, 'api_unreachable', 'The Tollgate server cannot be reached.');
  }
  const out = new Headers({ 'cache-control': 'no-store' });
  for (const name of ['content-type', 'retry-after', 'idempotent-replayed']) {
    const value = upstream.headers.get(name);
    if (value !== null) out.set(name, value);
  }
  return new Response(await upstream.arrayBuffer(), { status: upstream.status, headers: out });
}
