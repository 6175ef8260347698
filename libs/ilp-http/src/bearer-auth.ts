/**
 * Bearer credentials for ILP over HTTP: parsing the `Authorization` header (RFC 6750 §2.1)
 * and a ready-made authenticator over a fixed list of accounts, for tests, scripts and
 * small deployments. The app's authenticator looks tokens up in its account store instead.
 */
import { constantTimeEqual } from '@tollgate/ilp-core';

/**
 * Maps a presented token (and the `ILP-Peer-Name` header, when sent) to the account id the
 * request acts for, or `undefined` to refuse it. Never say which part was wrong: the server
 * answers every refusal with the same 401.
 */
export type Authenticate = (
  token: string,
  peerName: string | undefined,
) => Promise<string | undefined> | string | undefined;

// Scheme name case-insensitive (RFC 9110 §11.1). The token is any run of visible ASCII rather
// than strictly RFC 6750's b64token: operators choose peer tokens freely (ilp-plugin-http's
// staticToken is any string), and refusing a legal-looking token would only break peering.
const BEARER = /^bearer +([\x21-\x7e]+)$/i;

/** The token of an `Authorization: Bearer <token>` header, or `undefined` if malformed. */
export function parseBearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = BEARER.exec(header.trim());
  return match === null ? undefined : match[1];
}

export interface StaticAccount {
  accountId: string;
  /** The account's incoming token. */
  token: string;
}

const encoder = new TextEncoder();

/**
 * An {@link Authenticate} over a fixed list. With `ILP-Peer-Name` the named account's token
 * must match; without it the token alone picks the account (DESIGN: "implied by the token").
 * Tokens are compared in constant time, and every candidate is compared so the time taken
 * does not reveal which account a token belongs to.
 */
export function createStaticAuthenticator(accounts: readonly StaticAccount[]): Authenticate {
  const entries = accounts.map((a) => ({ accountId: a.accountId, token: encoder.encode(a.token) }));
  return (token, peerName) => {
    const presented = encoder.encode(token);
    let found: string | undefined;
    for (const entry of entries) {
      const tokenMatches = constantTimeEqual(presented, entry.token);
      const nameMatches = peerName === undefined || peerName === entry.accountId;
      if (tokenMatches && nameMatches && found === undefined) found = entry.accountId;
    }
    return found;
  };
}
