/** `/checkout/:invoiceId`: rendered on the server from `GET /api/checkout/:id`. */
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { CheckoutView } from '@/components/checkout/checkout-view';
import { ServerUnreachable } from '@/components/errors/server-unreachable';
import { createApi, isApiError } from '@/lib/api/client';
import type { CheckoutInvoice } from '@/lib/api/types';
import { withPublicOrigin } from '@/lib/checkout';
import { internalApiUrl, publicApiUrl } from '@/lib/server-config';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Checkout' };

export default async function CheckoutPage({ params }: { params: Promise<{ invoiceId: string }> }) {
  const { invoiceId } = await params;
  let invoice: CheckoutInvoice;
  try {
    invoice = await createApi(internalApiUrl()).checkout(invoiceId);
  } catch (error) {
    if (isApiError(error) && error.kind === 'not-found') notFound();
    return <ServerUnreachable detail={isApiError(error) ? undefined : String(error)} />;
  }
  const apiUrl = await publicApiUrl();
  return <CheckoutView invoice={withPublicOrigin(invoice, apiUrl)} apiUrl={apiUrl} />;
}
