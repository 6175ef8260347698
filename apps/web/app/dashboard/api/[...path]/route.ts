/** `/dashboard/api/*`: the dashboard's same-origin door to the merchant API (see merchant-proxy). */
import { forwardToMerchantApi } from '@/lib/dashboard/merchant-proxy';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ path: string[] }> };

export async function GET(request: Request, { params }: Context): Promise<Response> {
  return forwardToMerchantApi(request, (await params).path);
}

export async function POST(request: Request, { params }: Context): Promise<Response> {
  return forwardToMerchantApi(request, (await params).path);
}
