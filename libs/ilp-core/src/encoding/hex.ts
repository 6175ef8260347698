/** Lowercase hex <-> bytes, strict (even length, hex digits only). Browser-safe. */
import { CodecError, CodecErrorCode } from '../errors/codec-error';

const HEX = '0123456789abcdef';
const BYTE_TO_HEX: string[] = [];
for (let i = 0; i < 256; i++) BYTE_TO_HEX.push(HEX[i >> 4] + HEX[i & 15]);

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += BYTE_TO_HEX[bytes[i]];
  return out;
}

function nibble(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** Parses hex (either case); throws CodecError(InvalidInput) on odd length or a non-hex digit. */
export function fromHex(hex: string): Uint8Array {
  if (typeof hex !== 'string' || hex.length % 2 !== 0) {
    throw new CodecError(CodecErrorCode.InvalidInput, 'hex must be a string of even length');
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(hex.charCodeAt(2 * i));
    const lo = nibble(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) {
      throw new CodecError(CodecErrorCode.InvalidInput, `invalid hex digit near index ${2 * i}`);
    }
    out[i] = (hi << 4) | lo;
  }
  return out;
}
