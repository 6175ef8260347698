import { describe, expect, it } from 'vitest';
import { CodecError, CodecErrorCode } from '../errors/codec-error';
import { hex, loadVectors, unhex } from '../../test/vectors';
import { Reader } from './reader';
import { lengthDeterminantSize, MAX_UINT64, varOctetStringSize, varUIntSize } from './size';
import { Writer } from './writer';

interface OerVectors {
  fixedUInt: { type: string; hex: string; value: string }[];
  lengthDeterminant: { hex: string; value: string }[];
  varOctetStringLongForm: { name: string; prefixHex: string; contentLength: number }[];
  varUIntMinimalSize: { value: string; bytes: number; encodingHex: string }[];
  ilpAddressVarString: { hex: string; value: string }[];
}

const vectors = loadVectors<OerVectors>('oer.json');

function expectCodecError(fn: () => unknown, code: CodecErrorCode): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CodecError);
    expect((error as CodecError).code).toBe(code);
    return;
  }
  throw new Error(`expected CodecError ${code}, nothing was thrown`);
}

describe('OER vectors (oer.json)', () => {
  describe('fixed-size unsigned integers', () => {
    it.each(vectors.fixedUInt.map((v) => [`${v.type} ${v.hex}`, v] as const))('%s', (_, v) => {
      const bytes = unhex(v.hex);
      const reader = new Reader(bytes);
      const writer = new Writer(bytes.length);
      switch (v.type) {
        case 'UInt8':
          expect(reader.readUInt8()).toBe(Number(v.value));
          writer.writeUInt8(Number(v.value));
          break;
        case 'UInt16':
          expect(reader.readUInt16()).toBe(Number(v.value));
          writer.writeUInt16(Number(v.value));
          break;
        case 'UInt32':
          expect(reader.readUInt32()).toBe(Number(v.value));
          writer.writeUInt32(Number(v.value));
          break;
        case 'UInt64':
          expect(reader.readUInt64()).toBe(BigInt(v.value));
          writer.writeUInt64(BigInt(v.value));
          break;
        default: // UInt256, UInt512: fixed octet strings
          expect(hex(reader.readOctets(bytes.length))).toBe(v.hex);
          writer.writeOctets(bytes, bytes.length);
      }
      expect(reader.remaining).toBe(0);
      expect(hex(writer.finish())).toBe(v.hex);
    });
  });

  describe('length determinants', () => {
    it.each(vectors.lengthDeterminant.map((v) => [`${v.hex} = ${v.value}`, v] as const))(
      '%s',
      (_, v) => {
        expect(new Reader(unhex(v.hex)).readLengthDeterminant()).toBe(BigInt(v.value));
        const value = BigInt(v.value);
        const writer = new Writer(lengthDeterminantSize(value));
        writer.writeLengthDeterminant(value);
        expect(hex(writer.finish())).toBe(v.hex);
        if (value <= BigInt(Number.MAX_SAFE_INTEGER)) {
          const w = new Writer(lengthDeterminantSize(Number(value)));
          w.writeLengthDeterminant(Number(value));
          expect(hex(w.finish())).toBe(v.hex);
        }
      },
    );
  });

  describe('long-form var-octet-strings', () => {
    it.each(vectors.varOctetStringLongForm.map((v) => [v.name, v] as const))('%s', (_, v) => {
      const encoded = unhex(v.prefixHex + '00'.repeat(v.contentLength));
      const content = new Reader(encoded).readVarOctetString();
      expect(content.length).toBe(v.contentLength);
      expect(varOctetStringSize(v.contentLength)).toBe(encoded.length);
      const writer = new Writer(encoded.length);
      writer.writeVarOctetString(new Uint8Array(v.contentLength));
      expect(hex(writer.finish())).toBe(hex(encoded));
    });
  });

  describe('VarUInt minimal sizes', () => {
    it.each(vectors.varUIntMinimalSize.map((v) => [`${v.value} -> ${v.encodingHex}`, v] as const))(
      '%s',
      (_, v) => {
        const value = BigInt(v.value);
        expect(varUIntSize(value)).toBe(1 + v.bytes);
        const writer = new Writer(varUIntSize(value));
        writer.writeVarUInt(value);
        expect(hex(writer.finish())).toBe(v.encodingHex);
        expect(new Reader(unhex(v.encodingHex)).readVarUInt()).toBe(value);
      },
    );
  });

  describe('ILP addresses as var IA5 strings', () => {
    it.each(vectors.ilpAddressVarString.map((v) => [v.value.slice(0, 40), v] as const))(
      '%s',
      (_, v) => {
        expect(new Reader(unhex(v.hex)).readVarAscii()).toBe(v.value);
        const writer = new Writer(varOctetStringSize(v.value.length));
        writer.writeVarAscii(v.value);
        expect(hex(writer.finish())).toBe(v.hex);
      },
    );
  });
});

describe('Reader', () => {
  it('rejects the indefinite length 0x80', () => {
    expectCodecError(() => new Reader(unhex('80')).readLength(), CodecErrorCode.InvalidLength);
  });

  it('rejects length prefixes longer than 8 bytes', () => {
    expectCodecError(
      () => new Reader(unhex('89' + '01'.repeat(9))).readLengthDeterminant(),
      CodecErrorCode.InvalidLength,
    );
  });

  it.each([
    ['81 05 (long form for 5)', '8105' + '00'.repeat(5)],
    ['81 7f (long form for 127)', '817f' + '00'.repeat(127)],
    ['82 00 80 (leading zero)', '820080' + '00'.repeat(128)],
  ])('rejects the non-canonical length %s', (_, input) => {
    expectCodecError(
      () => new Reader(unhex(input)).readLength(),
      CodecErrorCode.NonCanonicalLength,
    );
  });

  it('accepts 0x7f as short form and 81 80 as the smallest long form', () => {
    expect(new Reader(unhex('7f' + '00'.repeat(127))).readLength()).toBe(127);
    expect(new Reader(unhex('8180' + '00'.repeat(128))).readLength()).toBe(128);
  });

  it.each([
    ['short form past the end', '05aabb'],
    ['long form past the end', '8201000000'],
    ['missing long-form length bytes', '82'],
    ['empty input', ''],
  ])('rejects a %s as Truncated', (_, input) => {
    expectCodecError(() => new Reader(unhex(input)).readVarOctetString(), CodecErrorCode.Truncated);
  });

  it('never reads past its end, even inside a larger buffer', () => {
    const bytes = unhex('03aabbccdd');
    const reader = new Reader(bytes, 0, 3);
    expectCodecError(() => reader.readVarOctetString(), CodecErrorCode.Truncated);
  });

  it.each([
    ['UInt8', (r: Reader) => r.readUInt8()],
    ['UInt16', (r: Reader) => r.readUInt16()],
    ['UInt32', (r: Reader) => r.readUInt32()],
    ['UInt64', (r: Reader) => r.readUInt64()],
  ])('%s on short input is Truncated', (_, read) => {
    expectCodecError(() => read(new Reader(new Uint8Array(0))), CodecErrorCode.Truncated);
  });

  it('reads UInt64 edges exactly', () => {
    const cases: [string, bigint][] = [
      ['0000000000000000', 0n],
      ['001fffffffffffff', 2n ** 53n - 1n],
      ['0020000000000000', 2n ** 53n],
      ['0020000000000001', 2n ** 53n + 1n],
      ['8000000000000000', 2n ** 63n],
      ['ffffffffffffffff', MAX_UINT64],
    ];
    for (const [input, value] of cases) expect(new Reader(unhex(input)).readUInt64()).toBe(value);
  });

  describe('VarUInt', () => {
    it('rejects zero content bytes', () => {
      expectCodecError(() => new Reader(unhex('00')).readVarUInt(), CodecErrorCode.InvalidVarUInt);
    });

    it('rejects more than 8 content bytes', () => {
      expectCodecError(
        () => new Reader(unhex('09010000000000000000')).readVarUInt(),
        CodecErrorCode.InvalidVarUInt,
      );
    });

    it('saturates more than 8 content bytes to 2^64 - 1 when asked', () => {
      const reader = new Reader(unhex('09010000000000000000ee'));
      expect(reader.readVarUInt({ saturating: true })).toBe(MAX_UINT64);
      expect(reader.readUInt8()).toBe(0xee);
    });

    it('saturating mode still rejects zero-length and truncated VarUInts', () => {
      expectCodecError(
        () => new Reader(unhex('00')).readVarUInt({ saturating: true }),
        CodecErrorCode.InvalidVarUInt,
      );
      expectCodecError(
        () => new Reader(unhex('0901')).readVarUInt({ saturating: true }),
        CodecErrorCode.Truncated,
      );
    });

    it('reads 7- and 8-byte values exactly', () => {
      expect(new Reader(unhex('0701020304050607')).readVarUInt()).toBe(0x01020304050607n);
      expect(new Reader(unhex('0880000000000000ff')).readVarUInt()).toBe(0x80000000000000ffn);
    });

    it('accepts leading zero bytes on decode (lenient), never writes them', () => {
      expect(new Reader(unhex('020001')).readVarUInt()).toBe(1n);
      const writer = new Writer(2);
      writer.writeVarUInt(1n);
      expect(hex(writer.finish())).toBe('0101');
    });
  });

  it('decodes strict UTF-8 and rejects invalid sequences', () => {
    expect(new Reader(unhex('0bc3bc6ec3af63c3b664c3a9')).readVarUtf8()).toBe('ünïcödé');
    expectCodecError(() => new Reader(unhex('02c328')).readVarUtf8(), CodecErrorCode.InvalidUtf8);
    expectCodecError(() => new Reader(unhex('01ff')).readVarUtf8(), CodecErrorCode.InvalidUtf8);
    // long enough for the native path
    const longBad = '14' + '61'.repeat(19) + 'ff';
    expectCodecError(() => new Reader(unhex(longBad)).readVarUtf8(), CodecErrorCode.InvalidUtf8);
  });

  it('keeps a real U+FFFD in long and short UTF-8 strings', () => {
    const text = 'replacement \ufffd character inside';
    const bytes = new TextEncoder().encode(text);
    const input = new Uint8Array([bytes.length, ...bytes]);
    expect(new Reader(input).readVarUtf8()).toBe(text);
    expect(new Reader(unhex('03efbfbd')).readVarUtf8()).toBe('\ufffd');
  });

  it('rejects non-ASCII bytes in IA5 strings', () => {
    expect(new Reader(unhex('02416f')).readVarAscii()).toBe('Ao');
    expectCodecError(() => new Reader(unhex('01f0')).readVarAscii(), CodecErrorCode.InvalidAscii);
  });

  it('returns zero-copy views for octet strings', () => {
    const bytes = unhex('03aabbcc');
    const view = new Reader(bytes).readVarOctetString();
    bytes[1] = 0x11;
    expect(view[0]).toBe(0x11);
  });

  it('narrow() limits reading to the given length', () => {
    const reader = new Reader(unhex('0102030405'));
    reader.narrow(2);
    expect(reader.readUInt16()).toBe(0x0102);
    expectCodecError(() => reader.readUInt8(), CodecErrorCode.Truncated);
    expectCodecError(() => new Reader(unhex('01')).narrow(2), CodecErrorCode.Truncated);
  });

  it('rejects input that is not a Uint8Array', () => {
    expectCodecError(() => new Reader('abc' as unknown as Uint8Array), CodecErrorCode.InvalidInput);
  });

  it('assertEnd reports trailing bytes', () => {
    const reader = new Reader(unhex('0102'));
    reader.readUInt8();
    expectCodecError(() => reader.assertEnd('test'), CodecErrorCode.TrailingBytes);
  });
});

describe('Writer', () => {
  it.each([
    ['UInt8 256', (w: Writer) => w.writeUInt8(256)],
    ['UInt8 -1', (w: Writer) => w.writeUInt8(-1)],
    ['UInt8 1.5', (w: Writer) => w.writeUInt8(1.5)],
    ['UInt16 65536', (w: Writer) => w.writeUInt16(65_536)],
    ['UInt32 2^32', (w: Writer) => w.writeUInt32(2 ** 32)],
  ])('rejects %s', (_, write) => {
    expectCodecError(() => write(new Writer(8)), CodecErrorCode.ValueOutOfRange);
  });

  it('writes UInt64 edges and rejects values outside 0..2^64-1', () => {
    const cases: [bigint, string][] = [
      [0n, '0000000000000000'],
      [2n ** 53n - 1n, '001fffffffffffff'],
      [2n ** 53n, '0020000000000000'],
      [MAX_UINT64, 'ffffffffffffffff'],
    ];
    for (const [value, expected] of cases) {
      const writer = new Writer(8);
      writer.writeUInt64(value);
      expect(hex(writer.finish())).toBe(expected);
    }
    expectCodecError(() => new Writer(8).writeUInt64(2n ** 64n), CodecErrorCode.AmountOverflow);
    expectCodecError(() => new Writer(8).writeUInt64(-1n), CodecErrorCode.InvalidAmount);
    expectCodecError(
      () => new Writer(8).writeUInt64(5 as unknown as bigint),
      CodecErrorCode.InvalidAmount,
    );
  });

  it('rejects VarUInts above 2^64 - 1', () => {
    expectCodecError(() => varUIntSize(2n ** 64n), CodecErrorCode.AmountOverflow);
  });

  it('rejects a fixed-length field of the wrong size', () => {
    expectCodecError(
      () => new Writer(32).writeOctets(new Uint8Array(31), 32),
      CodecErrorCode.InvalidFixedLength,
    );
  });

  it('rejects non-ASCII characters in IA5 strings and lone surrogates in UTF-8', () => {
    expectCodecError(() => new Writer(10).writeVarAscii('héllo'), CodecErrorCode.InvalidAscii);
    expectCodecError(() => new Writer(10).writeVarUtf8('a\ud800b'), CodecErrorCode.InvalidUtf8);
    expectCodecError(
      () => new Writer(40).writeVarUtf8('long enough for the native path \udc00'),
      CodecErrorCode.InvalidUtf8,
    );
  });

  it('writes UTF-8 identically to TextEncoder (short and long, all planes)', () => {
    for (const text of [
      '',
      'a',
      'ünïcödé',
      '€UR',
      '😀 and 𝄞 and ascii text longer than 16 chars',
      'x'.repeat(200),
    ]) {
      const encoded = new TextEncoder().encode(text);
      const writer = new Writer(varOctetStringSize(encoded.length));
      writer.writeVarUtf8(text);
      const out = writer.finish();
      expect(hex(out.subarray(out.length - encoded.length))).toBe(hex(encoded));
    }
  });

  it('finish() throws when fewer bytes were written than sized', () => {
    const writer = new Writer(4);
    writer.writeUInt8(1);
    expect(() => writer.finish()).toThrow(/sized 4 bytes, wrote 1/);
  });

  it('can write into an existing buffer at an offset', () => {
    const target = new Uint8Array(6);
    const writer = new Writer(target, 2, 2);
    writer.writeUInt16(0xabcd);
    expect(hex(writer.finish())).toBe('0000abcd0000');
  });

  it('computes length determinant sizes at every boundary', () => {
    const cases: [number, number][] = [
      [0, 1],
      [127, 1],
      [128, 2],
      [255, 2],
      [256, 3],
      [65_535, 3],
      [65_536, 4],
      [2 ** 24, 5],
      [2 ** 32 - 1, 5],
      [2 ** 32, 6],
      [Number.MAX_SAFE_INTEGER, 8],
    ];
    for (const [length, size] of cases) {
      expect(lengthDeterminantSize(length)).toBe(size);
      expect(lengthDeterminantSize(BigInt(length))).toBe(size);
    }
    expect(lengthDeterminantSize(MAX_UINT64)).toBe(9);
  });
});
