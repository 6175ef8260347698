import { randomBytes } from 'node:crypto';
import { Wallet } from 'ethers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodePeerMessage,
  encodePeerMessage,
  PeerMessageError,
  proofText,
  verifyAddressProof,
  type AddressProof,
} from './peer-messages';

const wallet = Wallet.createRandom();
const challenge = randomBytes(32).toString('hex');

async function proof(overrides: Partial<AddressProof> = {}, text?: string): Promise<AddressProof> {
  return {
    v: 1,
    type: 'address_proof',
    chainId: '31337',
    address: wallet.address,
    signature: await wallet.signMessage(text ?? proofText('31337', wallet.address, challenge)),
    ...overrides,
  };
}

describe('peer messages', () => {
  it('round-trips both message types', async () => {
    const request = { v: 1, type: 'address_request', chainId: '31337', challenge } as const;
    expect(decodePeerMessage(encodePeerMessage(request))).toEqual(request);
    const p = await proof();
    expect(decodePeerMessage(encodePeerMessage(p))).toEqual(p);
  });

  it('accepts a proof of the address for our challenge on our chain', async () => {
    expect(verifyAddressProof(await proof(), '31337', challenge)).toBe(wallet.address);
  });

  it('refuses a proof for another challenge, chain or address', async () => {
    const other = randomBytes(32).toString('hex');
    await expect(async () => verifyAddressProof(await proof(), '31337', other)).rejects.toThrow(
      /not from the claimed address/,
    );
    await expect(async () =>
      verifyAddressProof(await proof({ chainId: '1' }), '31337', challenge),
    ).rejects.toThrow(/chain 1/);
    const impostor = Wallet.createRandom().address;
    await expect(async () =>
      verifyAddressProof(await proof({ address: impostor }), '31337', challenge),
    ).rejects.toThrow(PeerMessageError);
    // Signed for chain 1, presented as chain 31337.
    const crossChain = await proof({}, proofText('1', wallet.address, challenge));
    await expect(async () => verifyAddressProof(crossChain, '31337', challenge)).rejects.toThrow(
      PeerMessageError,
    );
  });

  it('throws only PeerMessageError on any input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          fc.jsonValue().map((v) => new TextEncoder().encode(JSON.stringify(v))),
          fc
            .record(
              {
                v: fc.constantFrom(1, 2, '1'),
                type: fc.constantFrom('address_request', 'address_proof', 'x'),
                chainId: fc.oneof(fc.constant('31337'), fc.string()),
                challenge: fc.oneof(fc.constant(challenge), fc.string()),
                address: fc.oneof(fc.constant(wallet.address), fc.string()),
                signature: fc.string(),
              },
              { requiredKeys: [] },
            )
            .map((v) => new TextEncoder().encode(JSON.stringify(v))),
        ),
        (bytes) => {
          try {
            decodePeerMessage(bytes);
          } catch (error) {
            expect(error).toBeInstanceOf(PeerMessageError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
