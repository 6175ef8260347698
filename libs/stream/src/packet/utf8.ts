/**
 * UTF-8 byte length of a string, needed to size a packet before it is written. Lone
 * surrogates are refused (as ilp-core's writer refuses them), so what we encode always
 * decodes back to the same text.
 */
import { CodecError, CodecErrorCode } from '@tollgate/ilp-core';

export function utf8ByteLength(value: string, field: string): number {
  if (typeof value !== 'string') {
    throw new CodecError(CodecErrorCode.InvalidInput, `${field} must be a string`);
  }
  const n = value.length;
  let bytes = n;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) {
      bytes += 1;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < n ? value.charCodeAt(i + 1) : 0;
      if (c > 0xdbff || next < 0xdc00 || next > 0xdfff) {
        throw new CodecError(CodecErrorCode.InvalidUtf8, `${field}: lone UTF-16 surrogate at ${i}`);
      }
      bytes += 2; // two UTF-16 units become four bytes
      i++;
    } else {
      bytes += 2;
    }
  }
  return bytes;
}
