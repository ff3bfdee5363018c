/** For a lead byte: how many continuation bytes follow, and the range of the first (RFC 3629, section 4). */
function sequenceOf(lead: number): [count: number, low: number, high: number] | undefined {
  if (lead >= 0xc2 && lead <= 0xdf) return [1, 0x80, 0xbf];
  if (lead === 0xe0) return [2, 0xa0, 0xbf]; // no overlong forms
  if (lead === 0xed) return [2, 0x80, 0x9f]; // no UTF-16 surrogates
  if (lead >= 0xe1 && lead <= 0xef) return [2, 0x80, 0xbf];
  if (lead === 0xf0) return [3, 0x90, 0xbf];
  if (lead >= 0xf1 && lead <= 0xf3) return [3, 0x80, 0xbf];
  if (lead === 0xf4) return [3, 0x80, 0x8f]; // nothing past U+10FFFF
  return undefined;
}

/**
 * The offset of the first byte of `bytes` that does not belong to a valid UTF-8 sequence, or -1. For the
 * message of a refused body only: `isUtf8()` (native) decides whether a body is valid.
 */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    if (bytes[i] < 0x80) {
      i++;
      continue;
    }
    const sequence = sequenceOf(bytes[i]);
    if (!sequence) return i;
    const [count, low, high] = sequence;
    if (i + count >= bytes.length || bytes[i + 1] < low || bytes[i + 1] > high) return i;
    for (let k = 2; k <= count; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    i += count + 1;
  }
  return -1;
}
