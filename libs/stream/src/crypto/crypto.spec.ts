import { describe, expect, it } from 'vitest';
import { CRYPTOS } from '../../test/cryptos';
import { InvalidSharedSecretError } from '../errors';
import { StreamConnection } from '../connection/connection';
import { NodeStreamCrypto } from './node-crypto';
import { checkSharedSecret, StreamKeys } from './stream-keys';
import { WebStreamCrypto } from './web-crypto';

describe.each(CRYPTOS)('StreamKeys (%s)', (_name, crypto) => {
  it('round-trips with fresh IVs and refuses tampered or foreign data', async () => {
    const keys = await StreamKeys.fromSharedSecret(crypto, crypto.randomBytes(32));
    const other = await StreamKeys.fromSharedSecret(crypto, crypto.randomBytes(32));
    const plaintext = crypto.randomBytes(1000);
    const a = await keys.encrypt(plaintext);
    const b = await keys.encrypt(plaintext);
    expect(a.length).toBe(1028);
    expect(a.subarray(0, 12)).not.toEqual(b.subarray(0, 12));
    expect(await keys.decrypt(a)).toEqual(plaintext);
    expect(await other.decrypt(a)).toBeUndefined();
    const tampered = a.slice();
    tampered[40] ^= 1;
    expect(await keys.decrypt(tampered)).toBeUndefined();
    expect(await keys.decrypt(a.subarray(0, 27))).toBeUndefined();
    expect(await keys.decrypt(new Uint8Array(0))).toBeUndefined();
    // an empty plaintext is just IV and tag
    expect(await keys.decrypt(await keys.encrypt(new Uint8Array(0)))).toEqual(new Uint8Array(0));
  });

  it('matches conditions in constant time and refuses others', async () => {
    const keys = await StreamKeys.fromSharedSecret(crypto, crypto.randomBytes(32));
    const data = await keys.encrypt(new Uint8Array([1, 2, 3]));
    const { fulfillment, condition } = await keys.fulfillmentAndCondition(data);
    expect(await keys.fulfillmentFor(data, condition)).toEqual(fulfillment);
    expect(await keys.fulfillmentFor(data, crypto.randomBytes(32))).toBeUndefined();
  });
});

describe('shared secret length', () => {
  it('must be 32 bytes', async () => {
    expect(() => checkSharedSecret(new Uint8Array(31))).toThrow(InvalidSharedSecretError);
    expect(() => checkSharedSecret(new Uint8Array(33))).toThrow(/32 bytes, got 33/);
    expect(() => checkSharedSecret('x'.repeat(32))).toThrow(InvalidSharedSecretError);
    await expect(
      StreamConnection.create({ crypto: new WebStreamCrypto(), sharedSecret: new Uint8Array(16) }),
    ).rejects.toBeInstanceOf(InvalidSharedSecretError);
  });
});

describe('the two adapters agree', () => {
  it('on HMAC, SHA-256 and AES-GCM output', async () => {
    const web = new WebStreamCrypto();
    const node = new NodeStreamCrypto();
    const key = node.randomBytes(32);
    const iv = node.randomBytes(12);
    const message = node.randomBytes(777);
    expect(await web.sha256(message)).toEqual(new Uint8Array(node.sha256(message)));
    expect(await web.hmacSha256(key, message)).toEqual(
      new Uint8Array(node.hmacSha256(key, message)),
    );
    const sealedWeb = await web.aes256gcmEncrypt(await web.importAesKey(key), iv, message);
    const sealedNode = node.aes256gcmEncrypt(node.importAesKey(key), iv, message);
    expect(sealedWeb).toEqual(sealedNode);
    expect(node.aes256gcmDecrypt(node.importAesKey(key), sealedWeb)).toEqual(message);
  });

  it('the browser path imports no node: modules', async () => {
    const { readFileSync, readdirSync, statSync } = await import('node:fs');
    const { join } = await import('node:path');
    const root = join(__dirname, '..');
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.ts') && !name.endsWith('.spec.ts')) files.push(path);
      }
    };
    walk(root);
    const offenders = files.filter((file) => {
      if (file.endsWith('node.ts') || file.endsWith('node-crypto.ts')) return false;
      const text = readFileSync(file, 'utf8');
      return /from 'node:|require\('node:|\bBuffer\b/.test(text);
    });
    expect(offenders).toEqual([]);
  });
});
