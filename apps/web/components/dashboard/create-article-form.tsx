'use client';
/**
 * Publishing a paid article from the dashboard: title, address (slug, suggested from the
 * title), the free teaser and the paid text (paragraphs separated by blank lines) and a
 * price per second or per view, typed in whole units and parsed exactly. The merchant's
 * articles are listed below with their reading links.
 */
import Link from 'next/link';
import { useCallback, useId, useState, type FormEvent } from 'react';
import { isApiError } from '@/lib/api/client';
import { priceText } from '@/lib/content/price-text';
import { parseAmountInput } from '@/lib/dashboard/amount-input';
import type { MerchantArticle } from '@/lib/dashboard/dashboard-types';
import type { DashboardContext } from './dashboard-view';
import { useSection } from './use-section';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

type Field = 'title' | 'slug' | 'paragraphs' | 'price';

export function CreateArticleForm({ context }: { context: DashboardContext }) {
  const { api, merchant, tick, onUnauthorized, refresh } = context;
  const [title, setTitle] = useState('');
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const [teaser, setTeaser] = useState('');
  const [paragraphs, setParagraphs] = useState('');
  const [per, setPer] = useState<'second' | 'view'>('second');
  const [price, setPrice] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<MerchantArticle>();
  const ids = { title: useId(), slug: useId(), paragraphs: useId(), price: useId() };
  const articles = useSection(
    useCallback(() => api.articles(), [api]),
    tick,
    onUnauthorized,
  );

  const readPath = (article: { slug: string }) => `/read/${merchant.slug}/${article.slug}`;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!title.trim()) found.title = 'Give the article a title.';
    if (!SLUG.test(slug)) {
      found.slug = 'Lower-case letters, digits and inner hyphens, up to 64 characters.';
    }
    const paid = splitParagraphs(paragraphs);
    if (paid.length === 0) found.paragraphs = 'Write at least one paid paragraph.';
    const parsed = parseAmountInput(price, merchant.assetScale);
    if (!parsed.ok) found.price = parsed.problem;
    setErrors(found);
    if (Object.keys(found).length > 0 || !parsed.ok) return;
    setFailure(undefined);
    setCreated(undefined);
    setBusy(true);
    try {
      const article = await api.createArticle({
        slug,
        title: title.trim(),
        teaser: splitParagraphs(teaser),
        paragraphs: paid,
        pricing: { per, amount: parsed.baseUnits },
      });
      setCreated(article);
      setTitle('');
      setSlug('');
      setSlugEdited(false);
      setTeaser('');
      setParagraphs('');
      setPrice('');
      refresh();
    } catch (error) {
      if (isApiError(error) && error.kind === 'unauthorized') return onUnauthorized();
      setFailure(isApiError(error) ? error.message : 'The article could not be created.');
    } finally {
      setBusy(false);
    }
  };

  const describedBy = (field: Field) => (errors[field] ? ids[field] : undefined);
  const fieldError = (field: Field) =>
    errors[field] ? (
      <p className="dash-field-error" id={ids[field]}>
        {errors[field]}
      </p>
    ) : null;

  return (
    <section className="card stack" aria-labelledby="new-article-title">
      <h2 id="new-article-title">New paid article</h2>
      <form className="stack" onSubmit={submit} noValidate>
        <div>
          <label htmlFor="article-title">Title</label>
          <input
            id="article-title"
            className="input"
            maxLength={300}
            value={title}
            onChange={(e) => {
              setTitle(e.target.value);
              if (!slugEdited) setSlug(slugify(e.target.value));
            }}
            aria-invalid={errors.title ? true : undefined}
            aria-describedby={describedBy('title')}
          />
          {fieldError('title')}
        </div>
        <div>
          <label htmlFor="article-slug">Address</label>
          <div className="dash-prefixed">
            <span className="muted" aria-hidden="true">
              /read/{merchant.slug}/
            </span>
            <input
              id="article-slug"
              className="input"
              spellCheck={false}
              value={slug}
              onChange={(e) => {
                setSlug(e.target.value.toLowerCase());
                setSlugEdited(true);
              }}
              aria-invalid={errors.slug ? true : undefined}
              aria-describedby={describedBy('slug')}
            />
          </div>
          {fieldError('slug')}
        </div>
        <div>
          <label htmlFor="article-teaser">Free teaser</label>
          <textarea
            id="article-teaser"
            className="input dash-textarea"
            rows={3}
            value={teaser}
            onChange={(e) => setTeaser(e.target.value)}
            aria-describedby="article-paragraph-hint"
          />
        </div>
        <div>
          <label htmlFor="article-paragraphs">Paid text</label>
          <textarea
            id="article-paragraphs"
            className="input dash-textarea"
            rows={4}
            value={paragraphs}
            onChange={(e) => setParagraphs(e.target.value)}
            aria-invalid={errors.paragraphs ? true : undefined}
            aria-describedby={`article-paragraph-hint${errors.paragraphs ? ` ${ids.paragraphs}` : ''}`}
          />
          <p className="muted dash-hint" id="article-paragraph-hint">
            Separate paragraphs with a blank line.
          </p>
          {fieldError('paragraphs')}
        </div>
        <fieldset className="dash-fieldset">
          <legend>Price ({merchant.assetCode})</legend>
          <div className="dash-price">
            <input
              id="article-price"
              className="input"
              inputMode="decimal"
              autoComplete="off"
              aria-label={`Price in ${merchant.assetCode}`}
              value={price}
              onChange={(e) => setPrice(e.target.value)}
              aria-invalid={errors.price ? true : undefined}
              aria-describedby={describedBy('price')}
            />
            <div className="dash-radio">
              <input
                type="radio"
                id="per-second"
                name="per"
                checked={per === 'second'}
                onChange={() => setPer('second')}
              />
              <label htmlFor="per-second">per second</label>
            </div>
            <div className="dash-radio">
              <input
                type="radio"
                id="per-view"
                name="per"
                checked={per === 'view'}
                onChange={() => setPer('view')}
              />
              <label htmlFor="per-view">per view</label>
            </div>
          </div>
          {fieldError('price')}
        </fieldset>
        {failure ? (
          <div className="notice notice--danger" role="alert">
            {failure}
          </div>
        ) : null}
        <div className="button-row">
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Publishing…' : 'Publish article'}
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {created ? (
          <div className="notice notice--success" data-testid="created-article">
            <strong>“{created.title}” is published</strong>
            Readers pay {priceText(created.pricing)} at{' '}
            <Link href={readPath(created)} data-testid="created-article-link">
              {readPath(created)}
            </Link>
          </div>
        ) : null}
      </div>
      {articles.status === 'ready' && articles.data.data.length > 0 ? (
        <div>
          <h3 className="dash-subhead">Your articles</h3>
          <ul className="dash-list" data-testid="articles-list">
            {articles.data.data.slice(0, 8).map((a) => (
              <li key={a.id}>
                <Link href={readPath(a)}>{a.title}</Link>{' '}
                <span className="muted">{priceText(a.pricing)}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

/** Paragraphs are separated by blank lines; single line breaks stay inside a paragraph. */
export function splitParagraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

function slugify(title: string): string {
  return title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
}
