/** The bar on every page: the brand and the places a visitor goes. */
import Link from 'next/link';

export function SiteHeader() {
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link href="/" className="site-header__brand">
          Tollgate
        </Link>
        <nav aria-label="Main" className="site-header__nav">
          <Link href="/wallet">Demo wallet</Link>
          <Link href="/dashboard">Dashboard</Link>
          <a href="https://interledger.org" rel="noreferrer">
            Interledger
          </a>
        </nav>
      </div>
    </header>
  );
}
