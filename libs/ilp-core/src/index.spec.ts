/**
 * The public surface, and the rules that keep the library browser-safe: no `node:` imports
 * and no reliance on Buffer outside the Node entry point and the optional fast paths.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from './index';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Source without comments (comments may mention Buffer or node:crypto freely). */
const files = sourceFiles(__dirname).map((path) => ({
  path: relative(__dirname, path),
  text: readFileSync(path, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, ''),
}));

describe('browser safety', () => {
  it.each(files.filter((f) => f.path !== 'node.ts').map((f) => [f.path, f] as const))(
    '%s has no node: imports, no require, no Buffer type',
    (_, file) => {
      expect(file.text).not.toMatch(/from ['"]node:/);
      expect(file.text).not.toMatch(/\brequire\(/);
      // Buffer appears only as an optional global probed in oer/bytes.ts
      if (file.path !== join('oer', 'bytes.ts')) expect(file.text).not.toMatch(/\bBuffer\b/);
    },
  );

  it('nothing in the browser entry imports the Node entry', () => {
    for (const file of files) expect(file.text).not.toMatch(/from ['"][./]+node['"]/);
  });
});

describe('public API', () => {
  it('exports the documented names', () => {
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "CodecError",
        "CodecErrorCode",
        "ILDCP_DESTINATION",
        "ILDCP_REQUEST_EXPIRY_MS",
        "ILP_ERROR_NAMES",
        "ILP_TIMESTAMP_LENGTH",
        "IlpError",
        "IlpErrorCode",
        "IlpPacketType",
        "MAX_ADDRESS_LENGTH",
        "MAX_DATA_LENGTH",
        "MAX_MESSAGE_LENGTH",
        "MAX_UINT64",
        "PEER_PROTOCOL_CONDITION",
        "PEER_PROTOCOL_FULFILLMENT",
        "Reader",
        "Writer",
        "amountTooLargeError",
        "assertIlpAddress",
        "childAddress",
        "conditionFromFulfillment",
        "constantTimeEqual",
        "deserializeAmountTooLargeData",
        "deserializeFulfill",
        "deserializeIldcpResponse",
        "deserializeIldcpResponseData",
        "deserializeIlpPacket",
        "deserializeIlpReply",
        "deserializePrepare",
        "deserializeReject",
        "fromBase64",
        "fromHex",
        "generalizedTimeSize",
        "generateFulfillment",
        "getScheme",
        "ildcpRequest",
        "ildcpResponseFulfill",
        "ilpErrorClass",
        "ilpPacketSize",
        "isCodecError",
        "isFulfill",
        "isIlpError",
        "isIlpErrorCode",
        "isPrefixOf",
        "isPrepare",
        "isReject",
        "isValidAddressSegment",
        "isValidIlpAddress",
        "lengthDeterminantSize",
        "longestPrefixMatch",
        "randomBytes",
        "rejectFrom",
        "serializeAmountTooLargeData",
        "serializeFulfill",
        "serializeIldcpRequest",
        "serializeIldcpResponse",
        "serializeIldcpResponseData",
        "serializeIlpPacket",
        "serializeIlpPacketInto",
        "serializePrepare",
        "serializeReject",
        "sha256",
        "toBase64",
        "toBase64Url",
        "toHex",
        "toRejectMessage",
        "utf8Length",
        "validateIldcpRequest",
        "varOctetStringSize",
        "varUIntSize",
        "verifyFulfillment",
      ]
    `);
  });
});
