/**
 * Why a payment stopped, in words a customer understands, with the protocol reason kept
 * in brackets for support (ILP error codes: RFC 27; STREAM payment outcomes: libs/stream).
 */
import { isApiError } from '../api/client';

const ILP_CODES: Record<string, string> = {
  T04: 'Your wallet does not have enough money left',
  F02: 'The merchant cannot be reached from your wallet',
  F08: 'The payment path refuses packets this small',
  F99: 'The merchant refused the payment',
  T01: 'The connection to the node was lost',
  R00: 'The payment took too long',
  F04: 'Too little would arrive at this exchange rate',
  F05: 'The payment was refused (wrong condition)',
  F06: 'The merchant refused an unexpected payment',
  T00: 'The node had an internal error',
};

const REASONS: Record<string, string> = {
  'exchange-rate': 'The exchange rate is too poor to send this payment',
  'max-packet-zero': 'The payment path carries no money',
  'receiver-closed': 'The merchant stopped receiving (the invoice may have expired)',
  timeout: 'The payment took too long',
  closed: 'The payment was stopped',
  'transport-error': 'The connection to the node kept failing',
  'no-destination': 'The invoice has no payment destination',
  'source-limit': 'The payment reached its spending limit',
};

export function describeFailure(cause: unknown): string {
  if (typeof cause === 'string') {
    const rejected = /^rejected:(\w+)$/.exec(cause);
    if (rejected) {
      const text = ILP_CODES[rejected[1]] ?? 'The payment was rejected';
      return `${text} (ILP ${rejected[1]}).`;
    }
    return `${REASONS[cause] ?? 'The payment stopped'} (${cause}).`;
  }
  if (isApiError(cause)) return cause.message;
  const error = cause as { name?: string; code?: string; message?: string } | undefined;
  if (error?.name === 'SpspError') {
    return error.code === 'not_found'
      ? 'This invoice no longer takes payments (it is paid or expired).'
      : `The invoice's payment pointer did not answer (${error.message}).`;
  }
  return error?.message ? `${error.message}.`.replace(/\.\.$/, '.') : 'The payment failed.';
}
