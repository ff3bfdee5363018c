/** What a failed run's error_details keeps of the command's stderr: its last lines, bounded both ways. */
export const TAIL_MAX_LINES = 20;
export const TAIL_MAX_BYTES = 4_096;

/**
 * The end of a stream, kept in bounded memory however much a command writes: only the last TAIL_MAX_BYTES
 * bytes are held, and `text()` gives at most the last TAIL_MAX_LINES lines of them.
 */
export class StderrTail {
  private kept: Buffer = Buffer.alloc(0);
  private dropped = false;

  constructor(
    private readonly maxBytes = TAIL_MAX_BYTES,
    private readonly maxLines = TAIL_MAX_LINES,
  ) {}

  push(chunk: Buffer): void {
    const total = this.kept.length + chunk.length;
    if (total <= this.maxBytes) return void (this.kept = Buffer.concat([this.kept, chunk]));
    this.dropped = true;
    // Copies, never views: the command's chunks are not held on to.
    this.kept = chunk.length >= this.maxBytes ? Buffer.from(chunk.subarray(-this.maxBytes)) : Buffer.concat([this.kept.subarray(total - this.maxBytes), chunk]);
  }

  /**
   * The last lines as text: bytes that are not UTF-8 become U+FFFD, NUL (which the API refuses) too, a line
   * cut by the byte bound is left out whole, and trailing blank lines do not count.
   */
  text(): string {
    let bytes = this.kept;
    if (this.dropped) {
      const newline = bytes.indexOf(0x0a);
      bytes = newline === -1 ? skipContinuationBytes(bytes) : bytes.subarray(newline + 1);
    }
    const lines = bytes.toString('utf8').replaceAll('\0', '\uFFFD').replace(/\s+$/, '').split(/\r?\n/);
    return lines.slice(-this.maxLines).join('\n');
  }
}

/** One very long line cut at an arbitrary byte: start at the first whole UTF-8 character. */
function skipContinuationBytes(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length && start < 3 && (bytes[start] & 0xc0) === 0x80) start += 1;
  return bytes.subarray(start);
}
