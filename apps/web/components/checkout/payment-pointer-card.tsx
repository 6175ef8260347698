/**
 * "Pay with any ILP wallet": the invoice's payment pointer as a QR code (rendered on the
 * server as SVG, so no QR library reaches the browser) and as text to copy.
 */
import QRCode from 'qrcode';
import { CopyButton } from '../ui/copy-button';

export async function PaymentPointerCard({ pointer }: { pointer: string }) {
  const svg = await QRCode.toString(pointer, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return (
    <section className="card" aria-labelledby="pointer-title">
      <h2 id="pointer-title">Pay with any Interledger wallet</h2>
      <div
        className="qr"
        role="img"
        aria-label={`QR code of the payment pointer ${pointer}`}
        dangerouslySetInnerHTML={{ __html: svg }}
      />
      <p className="muted">Scan the code, or give your wallet this payment pointer:</p>
      <div className="pointer">
        <code data-testid="payment-pointer">{pointer}</code>
        <CopyButton text={pointer} label="Copy the payment pointer" />
      </div>
    </section>
  );
}
