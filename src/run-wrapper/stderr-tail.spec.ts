import { describe, expect, it } from '@jest/globals';
import { StderrTail, TAIL_MAX_BYTES, TAIL_MAX_LINES } from './stderr-tail.js';

const tailOf = (...chunks: (string | Buffer)[]) => {
  const tail = new StderrTail();
  for (const chunk of chunks) tail.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return tail.text();
};

describe('StderrTail', () => {
  it('keeps short output whole, without the trailing newline', () => {
    expect(tailOf('first\n', 'sec', 'ond\n')).toBe('first\nsecond');
    expect(tailOf()).toBe('');
  });

  it(`keeps the last ${TAIL_MAX_LINES} lines`, () => {
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i}`);
    expect(tailOf(`${lines.join('\n')}\n\n`)).toBe(lines.slice(-TAIL_MAX_LINES).join('\n'));
  });

  it(`holds at most ${TAIL_MAX_BYTES} bytes however much is written, and leaves out the line the bound cut`, () => {
    const tail = new StderrTail();
    for (let i = 0; i < 10_000; i++) tail.push(Buffer.from(`${'x'.repeat(500)} ${i}\n`));
    const text = tail.text();
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(TAIL_MAX_BYTES);
    expect(text.split('\n').every((line) => /^x{500} \d+$/.test(line))).toBe(true);
    expect(text.endsWith(' 9999')).toBe(true);
  });

  it('one line longer than the bound: its end, starting on a whole UTF-8 character', () => {
    const text = tailOf(Buffer.from('é'.repeat(3_000)));
    expect(text).toMatch(/^é+$/);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(TAIL_MAX_BYTES);
  });

  it('gives bytes that are not UTF-8, and NUL, as U+FFFD (the API refuses NUL)', () => {
    expect(tailOf(Buffer.from([0x61, 0xff, 0x00, 0x62]))).toBe('a\uFFFD\uFFFDb');
  });

  it('CRLF line ends count as one', () => {
    expect(tailOf('a\r\nb\r\n')).toBe('a\nb');
  });
});
