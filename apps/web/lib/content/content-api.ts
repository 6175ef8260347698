/**
 * The paid-content routes of the Tollgate API (`/api/public/*`, CORS-open, no API key): an
 * article's public part, starting a paid session, and the session's reads, beats and
 * receipts with its bearer token. Failures are the foundation's {@link ApiError}s, so pages
 * switch on the same kinds as everywhere else.
 */
import { ApiError, requestJson } from '../api/client';
import type {
  CreatedReadSession,
  PublicArticle,
  ReadSessionState,
  StoredReadSession,
} from './content-types';

/** Which article: the default merchant's (`merchant` undefined) or a named merchant's. */
export interface ArticleRef {
  merchant?: string;
  slug: string;
}

export interface ContentApi {
  article(ref: ArticleRef): Promise<PublicArticle>;
  startSession(ref: ArticleRef): Promise<CreatedReadSession>;
  /** Reading is a visible beat: the server counts time from here. */
  read(session: Pick<StoredReadSession, 'sessionId' | 'token'>): Promise<ReadSessionState>;
  heartbeat(
    session: Pick<StoredReadSession, 'sessionId' | 'token'>,
    visible: boolean,
  ): Promise<ReadSessionState>;
  postReceipt(
    session: Pick<StoredReadSession, 'sessionId' | 'token'>,
    receipt: string,
  ): Promise<ReadSessionState & { increase: string }>;
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export function createContentApi(baseUrl: string, timeoutMs = 10_000): ContentApi {
  const base = baseUrl.replace(/\/+$/, '');

  const call = <T>(path: string, init: RequestInit = {}): Promise<T> =>
    requestJson<T>(`${base}${path}`, init, {
      timeoutMs,
      unreachable: `The Tollgate server at ${base} cannot be reached.`,
    });

  const articlePath = (ref: ArticleRef) => {
    // The server would answer 400 for a malformed slug; to a reader it is simply not there.
    if (!SLUG.test(ref.slug) || (ref.merchant !== undefined && !SLUG.test(ref.merchant))) {
      throw new ApiError('not-found', 'No such article.', 404);
    }
    return ref.merchant === undefined
      ? `/api/public/content/${ref.slug}`
      : `/api/public/content/${ref.merchant}/${ref.slug}`;
  };
  const sessionPath = (id: string) => `/api/public/sessions/${encodeURIComponent(id)}`;
  const auth = (session: { token: string }) => ({ authorization: `Bearer ${session.token}` });
  const json = { 'content-type': 'application/json' };

  return {
    article: async (ref) => call<PublicArticle>(articlePath(ref)),
    startSession: async (ref) =>
      call<CreatedReadSession>(`${articlePath(ref)}/sessions`, { method: 'POST' }),
    read: (session) =>
      call<ReadSessionState>(`${sessionPath(session.sessionId)}/content`, {
        headers: auth(session),
      }),
    heartbeat: (session, visible) =>
      call<ReadSessionState>(`${sessionPath(session.sessionId)}/heartbeat`, {
        method: 'POST',
        headers: { ...auth(session), ...json },
        body: JSON.stringify({ visible }),
        // A beat sent while the page goes away must still leave.
        keepalive: !visible,
      }),
    postReceipt: (session, receipt) =>
      call<ReadSessionState & { increase: string }>(`${sessionPath(session.sessionId)}/receipts`, {
        method: 'POST',
        headers: { ...auth(session), ...json },
        body: JSON.stringify({ receipt }),
      }),
  };
}
