/** The front page: what this is and where to go. */
import Link from 'next/link';

export default function HomePage() {
  return (
    <div className="stack">
      <h1>Tollgate</h1>
      <section className="card stack">
        <p>
          This node takes Interledger payments. Merchants create invoices over the REST API; each
          invoice has a checkout page at <code>/checkout/&lt;invoice id&gt;</code> that any
          Interledger wallet can pay, or that you can pay from this browser.
        </p>
        <p>
          To try it on this machine, make a <Link href="/wallet">demo wallet</Link> (it comes with
          demo money), then open an invoice&apos;s checkout page and press Pay.
        </p>
        <p>
          Merchants watch their money, create invoices and publish paid articles on the{' '}
          <Link href="/dashboard">dashboard</Link> (sign in with an API key). Articles are read at{' '}
          <code>/read/&lt;article&gt;</code> and paid by the second with Web Monetization while the
          page is open.
        </p>
      </section>
    </div>
  );
}
