import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from './domain-error.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code?: string;
  [extension: string]: unknown;
}

/** One table from domain error code to HTTP status; later features add their codes here. */
const STATUS_BY_CODE: Record<string, number> = {
  'DATABASE.MIGRATIONS_PENDING': HttpStatus.SERVICE_UNAVAILABLE,
  'DATABASE.MIGRATION_FAILED': HttpStatus.INTERNAL_SERVER_ERROR,
  'DATABASE.UNKNOWN_MIGRATION': HttpStatus.NOT_FOUND,
  'HEALTH.NOT_READY': HttpStatus.SERVICE_UNAVAILABLE,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Every error leaves as RFC 9457 application/problem+json; internals of unknown errors go to the log only. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const problem = this.toProblem(error);
    problem.instance = request.url;
    if (problem.status >= 500) {
      // A domain error is a known condition (not ready, pending migrations): one line, no stack.
      if (error instanceof DomainError) this.logger.warn(`${request.method} ${request.url}: ${error.code}: ${error.message}`);
      else this.logger.error(`${request.method} ${request.url}: ${describe(error)}`);
    }
    void reply.status(problem.status).header('content-type', 'application/problem+json').send(problem);
  }

  private toProblem(error: unknown): Problem {
    if (error instanceof DomainError) {
      const status = STATUS_BY_CODE[error.code] ?? HttpStatus.INTERNAL_SERVER_ERROR;
      // A 5xx message may describe internals (a failed migration's SQL); only the code and the
      // extensions, which each error chooses to expose, reach the client.
      const detail = status >= 500 && !error.expose ? undefined : error.message;
      return { ...error.extensions, ...base(status), code: error.code, detail };
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const body = error.getResponse();
      const detail = typeof body === 'string' ? body : (body as { message?: unknown }).message;
      return { ...base(status), detail: Array.isArray(detail) ? detail.join('; ') : (detail as string | undefined) };
    }
    const status = (error as { statusCode?: unknown })?.statusCode;
    // Fastify's own errors (malformed JSON, body too large, wrong content type) carry a 4xx statusCode.
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return { ...base(status), detail: (error as Error).message };
    }
    return base(HttpStatus.INTERNAL_SERVER_ERROR);
  }
}

function base(status: number): Problem {
  return { type: 'about:blank', title: TITLES[status] ?? 'Error', status };
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
