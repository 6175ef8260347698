/**
 * `/read/:slug` (an article of the node's default merchant) and `/read/:merchant/:slug`:
 * title, teaser and price rendered on the server from `GET /api/public/content/...`; the
 * paid paragraphs come later, from the reader's own session, once its money has arrived.
 */
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { ArticleView } from '@/components/article/article-view';
import { ServerUnreachable } from '@/components/errors/server-unreachable';
import { isApiError } from '@/lib/api/client';
import { createContentApi, type ArticleRef } from '@/lib/content/content-api';
import { internalApiUrl, publicApiUrl } from '@/lib/server-config';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ path: string[] }> };

function articleRef(path: string[]): ArticleRef | undefined {
  if (path.length === 1) return { slug: path[0] };
  if (path.length === 2) return { merchant: path[0], slug: path[1] };
  return undefined;
}

/** One API call per request, shared by the metadata and the page. */
const loadArticle = cache(async (merchant: string | undefined, slug: string) =>
  createContentApi(internalApiUrl()).article({ merchant, slug }),
);

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const ref = articleRef((await params).path);
  if (!ref) return { title: 'Not found' };
  try {
    const article = await loadArticle(ref.merchant, ref.slug);
    return { title: article.title, description: article.teaser[0]?.slice(0, 200) };
  } catch {
    return { title: 'Article' };
  }
}

export default async function ReadPage({ params }: Params) {
  const ref = articleRef((await params).path);
  if (!ref) notFound();
  let article;
  try {
    article = await loadArticle(ref.merchant, ref.slug);
  } catch (error) {
    if (isApiError(error) && error.kind === 'not-found') notFound();
    return <ServerUnreachable detail={isApiError(error) ? undefined : String(error)} />;
  }
  return <ArticleView article={article} merchant={ref.merchant} apiUrl={await publicApiUrl()} />;
}
