import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InvalidRequestError } from '../common/invalid-request.error.js';
import { bodyProblem } from '../common/storable.js';
import { DecodedBodyTooLargeError, UnsupportedCharsetError, UnsupportedContentEncodingError } from './body.errors.js';

type Decoder = Transform & { bytesWritten: number };

/** The Content-Encodings we decode (a Map: a header value never reaches Object.prototype). */
const DECODERS = new Map<string, () => Decoder>([
  ['gzip', createGunzip],
  ['x-gzip', createGunzip],
  ['deflate', createInflate],
  ['br', createBrotliDecompress],
]);
const UTF8 = new Set(['utf-8', 'utf8']);
const CHARSET = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i;
const BODYLESS = new Set(['GET', 'HEAD', 'TRACE']);

/** Whether Fastify will read and parse a body for `request` (as its handle-request.js decides). */
function hasBody({ method, headers }: FastifyRequest): boolean {
  if (BODYLESS.has(method)) return false;
  return headers['content-type'] !== undefined || headers['transfer-encoding'] !== undefined || (headers['content-length'] ?? '0') !== '0';
}

function assertUtf8(contentType: string | undefined): void {
  const match = contentType === undefined ? null : CHARSET.exec(contentType);
  const charset = match ? (match[1] ?? match[2]) : undefined;
  if (charset !== undefined && !UTF8.has(charset.toLowerCase())) throw new UnsupportedCharsetError(charset);
}

function decoderFor(header: string | undefined): { coding: string; decoder: Decoder } | undefined {
  const coding = header?.trim().toLowerCase() ?? '';
  if (coding === '' || coding === 'identity') return undefined;
  const create = DECODERS.get(coding);
  if (!create) throw new UnsupportedContentEncodingError(header ?? '');
  return { coding, decoder: create() };
}

/**
 * The decompressed body, refused (413) as soon as it grows past the route's body limit, when decompression
 * stops: a small compressed body cannot inflate to gigabytes in memory or CPU time.
 */
class DecodedBody extends Transform {
  private length = 0;

  constructor(
    private readonly payload: Readable,
    private readonly decoder: Decoder,
    private readonly limit: number,
  ) {
    super();
  }

  /** What Fastify compares with Content-Length: the bytes received, before decompression. */
  get receivedEncodedLength(): number {
    return this.decoder.bytesWritten;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.length += chunk.length;
    if (this.length <= this.limit) return callback(null, chunk);
    this.stop();
    callback(new DecodedBodyTooLargeError(this.limit));
  }

  /** Stops reading and decompressing; the answer closes the connection (Fastify does on a body error). */
  stop(): void {
    this.payload.unpipe(this.decoder);
    this.decoder.destroy();
  }
}

function decoded(payload: Readable, { coding, decoder }: { coding: string; decoder: Decoder }, limit: number): DecodedBody {
  const body = new DecodedBody(payload, decoder, limit);
  decoder.on('error', (error) => {
    body.stop();
    body.destroy(new InvalidRequestError(bodyProblem('/', `is not valid ${coding} data (${error.message})`)));
  });
  // An error after Fastify has answered and stopped listening must not go unhandled.
  body.on('error', () => undefined);
  payload.pipe(decoder).pipe(body);
  return body;
}

/**
 * Before the body is read (after authentication): a charset other than UTF-8 answers 415, and so does a
 * Content-Encoding other than gzip, deflate or br; those are decompressed on the way to the JSON parser,
 * bounded by the route's body limit (BODY_LIMIT_BYTES or METRICS_BATCH_BODY_LIMIT_BYTES). An uncompressed
 * body passes through untouched.
 */
export function registerBodyDecoding(fastify: FastifyInstance): void {
  fastify.addHook('preParsing', (request, reply, payload, done) => {
    if (request.is404 || !hasBody(request)) return done(null, payload);
    try {
      assertUtf8(request.headers['content-type']);
      const decoding = decoderFor(request.headers['content-encoding']);
      done(null, decoding ? decoded(payload, decoding, request.routeOptions.bodyLimit) : payload);
    } catch (error) {
      // The body stays unread: close the connection after the answer rather than drain it.
      void reply.header('connection', 'close');
      done(error as Error);
    }
  });
}
