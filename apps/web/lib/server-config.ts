/**
 * Where the web server finds the API, read from the environment in this one place (server
 * side only). Server components fetch the API directly (`TOLLGATE_API_URL`); the browser is
 * told the public address: `PUBLIC_URL` when the node has one, else the host the page was
 * requested on with the API's port (on one machine: localhost:3000 → localhost:8080).
 */
import { headers } from 'next/headers';

const DEFAULT_API_URL = 'http://127.0.0.1:8080';

export function internalApiUrl(): string {
  return process.env.TOLLGATE_API_URL || DEFAULT_API_URL;
}

export async function publicApiUrl(): Promise<string> {
  const configured = process.env.PUBLIC_URL;
  if (configured) return configured.replace(/\/+$/, '');
  const internal = new URL(internalApiUrl());
  const requested = (await headers()).get('host');
  if (!requested) return internal.origin;
  // `hostname` keeps the brackets of an IPv6 literal
  const hostname = new URL(`http://${requested}`).hostname;
  return `${internal.protocol}//${hostname}${internal.port ? `:${internal.port}` : ''}`;
}
