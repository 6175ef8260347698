/** 404: an unknown page or an unknown invoice. */
import Link from 'next/link';

export default function NotFound() {
  return (
    <section className="card stack" aria-labelledby="not-found-title">
      <h1 id="not-found-title">Not found</h1>
      <p>
        There is no such page or invoice here. Check the link you were given, or ask the merchant
        for a new one.
      </p>
      <p>
        <Link href="/">Back to the start</Link>
      </p>
    </section>
  );
}
