import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { problem } from '../common/problem.js';
import type { RootLogger } from '../logging/logging.js';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id.js';

/** Node's parser codes for a request too large to read, and for one that took too long to arrive. */
const STATUS_OF: Record<string, number> = { HPE_HEADER_OVERFLOW: 431, ERR_HTTP_REQUEST_TIMEOUT: 408, HPE_HEADER_TIMEOUT: 408 };

/**
 * The raw answer to a request Node's HTTP parser refused (bad header bytes, conflicting Content-Length,
 * headers too large) before Fastify saw it: problem+json with a fresh request id in the header and the
 * body, like every other error, and the connection closed. No request exists yet, so the id is new; it is
 * also on the log line, which is what a caller's support request quotes.
 */
export function clientErrorResponse(error: NodeJS.ErrnoException): { status: number; requestId: string; text: string } {
  const status = STATUS_OF[error.code ?? ''] ?? 400;
  const requestId = requestIdFrom(undefined);
  const body = JSON.stringify({ ...problem(status), detail: 'the HTTP request could not be parsed', request_id: requestId });
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    'content-type: application/problem+json',
    `content-length: ${Buffer.byteLength(body)}`,
    `${REQUEST_ID_HEADER}: ${requestId}`,
    'connection: close',
  ];
  return { status, requestId, text: `${head.join('\r\n')}\r\n\r\n${body}` };
}

/** Fastify's clientErrorHandler option, logging one line per refusal through the root logger. */
export function clientErrorHandler(log: RootLogger) {
  return (error: NodeJS.ErrnoException, socket: Socket): void => {
    // A reset connection has nobody to answer (as Fastify's default handler does).
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const { status, requestId, text } = clientErrorResponse(error);
    log.info({ request_id: requestId, res: { statusCode: status }, err_code: error.code, remoteAddress: socket.remoteAddress }, 'malformed request refused');
    if (socket.writable) socket.end(text);
    else socket.destroy();
  };
}
