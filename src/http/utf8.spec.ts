import { isUtf8 } from 'node:buffer';
import { describe, expect, it } from '@jest/globals';
import { firstInvalidUtf8Byte } from './utf8.js';

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

describe('firstInvalidUtf8Byte', () => {
  it('finds nothing in valid UTF-8 of every length, as isUtf8 agrees', () => {
    const valid = bytes('{"a":"é€😀 ok"}');
    expect(isUtf8(valid)).toBe(true);
    expect(firstInvalidUtf8Byte(valid)).toBe(-1);
    expect(firstInvalidUtf8Byte(Buffer.alloc(0))).toBe(-1);
  });

  it.each([
    ['a Latin-1 é', bytes('{"a":"', [0xe9], '"}'), 6],
    ['a lone continuation byte', bytes('ab', [0x80]), 2],
    ['an overlong encoding of "/"', bytes('x', [0xc0, 0xaf]), 1],
    ['an overlong three-byte form', bytes([0xe0, 0x80, 0xaf]), 0],
    ['an encoded UTF-16 surrogate', bytes('ok', [0xed, 0xa0, 0x80]), 2],
    ['a code point past U+10FFFF', bytes([0xf4, 0x90, 0x80, 0x80]), 0],
    ['a sequence cut short by the end', bytes('€', [0xe2, 0x82]), 3],
    ['a sequence cut short by ASCII', bytes([0xf0, 0x9f, 0x98, 0x41]), 0],
    ['0xFF', bytes('abc', [0xff]), 3],
  ])('finds %s at its offset, where isUtf8 also fails', (_, body, offset) => {
    expect(isUtf8(body)).toBe(false);
    expect(firstInvalidUtf8Byte(body)).toBe(offset);
  });
});
