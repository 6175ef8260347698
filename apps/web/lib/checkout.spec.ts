import { describe, expect, it } from 'vitest';
import type { CheckoutInvoice } from './api/types';
import { remainingDue, withPublicOrigin } from './checkout';
import { describeFailure } from './payment/failure-reasons';

describe('withPublicOrigin', () => {
  it('moves pointer and SPSP URL to the origin the browser uses, keeping the path', () => {
    const invoice = {
      spspUrl: 'http://127.0.0.1:8080/coffee/invoices/abc',
      paymentPointer: '$127.0.0.1:8080/coffee/invoices/abc',
      amount: '500',
      received: '120',
    } as CheckoutInvoice;
    expect(withPublicOrigin(invoice, 'https://pay.example.com')).toMatchObject({
      spspUrl: 'https://pay.example.com/coffee/invoices/abc',
      paymentPointer: '$pay.example.com/coffee/invoices/abc',
    });
    expect(remainingDue(invoice)).toBe(380n);
    expect(remainingDue({ amount: '500', received: '501' })).toBe(0n);
  });
});

describe('describeFailure', () => {
  it('says in words why a payment stopped, keeping the protocol reason', () => {
    expect(describeFailure('rejected:T04')).toBe(
      'Your wallet does not have enough money left (ILP T04).',
    );
    expect(describeFailure('rejected:F77')).toBe('The payment was rejected (ILP F77).');
    expect(describeFailure('exchange-rate')).toBe(
      'The exchange rate is too poor to send this payment (exchange-rate).',
    );
    expect(describeFailure(new Error('cannot reach the BTP server at ws://x/btp'))).toBe(
      'cannot reach the BTP server at ws://x/btp.',
    );
    expect(
      describeFailure(Object.assign(new Error('x'), { name: 'SpspError', code: 'not_found' })),
    ).toBe('This invoice no longer takes payments (it is paid or expired).');
  });
});
