import { describe, expect, it } from 'vitest';
import {
  isMonetizationEvent,
  MONETIZATION_EVENT,
  PolyfilledMonetizationEvent,
  pointerOfUrl,
} from './monetization-event';

describe('pointerOfUrl', () => {
  it.each([
    ['https://wallet.example/alice', '$wallet.example/alice'],
    ['https://wallet.example/.well-known/pay', '$wallet.example'],
    ['http://127.0.0.1:8080/daily/sessions/5f0b', '$127.0.0.1:8080/daily/sessions/5f0b'],
    ['https://wallet.example/bob/', '$wallet.example/bob'],
  ])('%s is shown as %s', (href, pointer) => {
    expect(pointerOfUrl(href)).toBe(pointer);
  });
});

describe('PolyfilledMonetizationEvent', () => {
  it('carries the draft fields and bubbles', () => {
    const event = new PolyfilledMonetizationEvent(MONETIZATION_EVENT, {
      amount: '3',
      assetCode: 'USD',
      assetScale: 2,
      receipt: null,
      paymentPointer: '$wallet.example/alice',
    });
    expect(event.bubbles).toBe(true);
    expect(isMonetizationEvent(event)).toBe(true);
    expect(event).toMatchObject({ amount: '3', assetCode: 'USD', assetScale: 2, receipt: null });
    expect(isMonetizationEvent(new Event(MONETIZATION_EVENT))).toBe(false);
  });
});
