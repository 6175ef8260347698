/**
 * An article page: title, publisher, price and the free teaser rendered on the server (so
 * the page reads without JavaScript and never shifts when the paid part loads), then the
 * reader that pays and unlocks the rest.
 */
import type { PublicArticle } from '@/lib/content/content-types';
import { priceText } from '@/lib/content/price-text';
import { ArticleReader } from './article-reader';

export function ArticleView({
  article,
  merchant,
  apiUrl,
}: {
  article: PublicArticle;
  merchant: string | undefined;
  apiUrl: string;
}) {
  return (
    <article className="article stack" aria-labelledby="article-title">
      <header>
        <h1 id="article-title">{article.title}</h1>
        <p className="muted article__byline">
          By <span data-testid="publisher">{article.merchant.name}</span> ·{' '}
          <span data-testid="price">{priceText(article.pricing)}</span>
          {article.paidParagraphs > 0 ? (
            <>
              {' '}
              · {article.paidParagraphs} paid{' '}
              {article.paidParagraphs === 1 ? 'paragraph' : 'paragraphs'}
            </>
          ) : null}
        </p>
      </header>
      <div className="article__teaser" data-testid="teaser">
        {article.teaser.map((text, index) => (
          <p key={index}>{text}</p>
        ))}
      </div>
      <ArticleReader article={article} merchant={merchant} apiUrl={apiUrl} />
    </article>
  );
}
