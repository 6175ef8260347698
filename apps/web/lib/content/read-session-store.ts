/**
 * A reader's paid sessions, kept in this browser's localStorage per article: the token is
 * shown once by the server, and keeping it lets a later visit resume the unread time it paid
 * for instead of starting over.
 */
import type { ArticleRef } from './content-api';
import type { CreatedReadSession, StoredReadSession } from './content-types';

const PREFIX = 'tollgate.readSession.';

function key(ref: ArticleRef): string {
  return `${PREFIX}${ref.merchant ?? ''}/${ref.slug}`;
}

export function loadReadSession(ref: ArticleRef): StoredReadSession | undefined {
  try {
    const raw = window.localStorage.getItem(key(ref));
    if (!raw) return undefined;
    const value = JSON.parse(raw) as Partial<StoredReadSession>;
    if (
      typeof value.sessionId !== 'string' ||
      typeof value.token !== 'string' ||
      typeof value.monetizationHref !== 'string' ||
      typeof value.paymentPointer !== 'string' ||
      typeof value.heartbeatSeconds !== 'number'
    ) {
      return undefined;
    }
    return {
      sessionId: value.sessionId,
      token: value.token,
      monetizationHref: value.monetizationHref,
      paymentPointer: value.paymentPointer,
      heartbeatSeconds: value.heartbeatSeconds,
      receiptsRequired: value.receiptsRequired === true,
    };
  } catch {
    return undefined; // storage blocked or corrupt: start a new session
  }
}

export function saveReadSession(ref: ArticleRef, created: CreatedReadSession): StoredReadSession {
  const stored: StoredReadSession = {
    sessionId: created.sessionId,
    token: created.token,
    monetizationHref: created.monetizationHref,
    paymentPointer: created.paymentPointer,
    heartbeatSeconds: created.heartbeatSeconds,
    receiptsRequired: created.receiptsRequired,
  };
  try {
    window.localStorage.setItem(key(ref), JSON.stringify(stored));
  } catch {
    // storage blocked: the session works for this visit only
  }
  return stored;
}

export function forgetReadSession(ref: ArticleRef): void {
  try {
    window.localStorage.removeItem(key(ref));
  } catch {
    // nothing kept, nothing to forget
  }
}
