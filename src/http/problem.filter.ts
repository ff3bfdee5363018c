import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../common/domain-error.js';
import { problemBody } from './query-credentials.js';

const logger = new Logger('Errors');

/** Sends `error` as application/problem+json. Nest routes Fastify's own errors (parsing, validation) here too. */
function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  // request_id: what a caller quotes to support, and what every log line of this request carries.
  const problem = problemBody(error, request);
  if (problem.status >= 500 && !(error instanceof DomainError && error.quiet)) {
    // A domain error or an outage is a known condition: one line, no stack. Anything else is a bug.
    if (error instanceof DomainError || problem.status === 503) {
      logger.warn(`${request.method} ${request.url}: ${problem.code ?? problem.status}: ${(error as Error).message}`);
    } else {
      logger.error(`${request.method} ${request.url}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
  if (problem.status === 503) void reply.header('retry-after', '5');
  if (error instanceof DomainError) for (const [name, value] of Object.entries(error.headers)) void reply.header(name, value);
  void reply.status(problem.status).header('content-type', 'application/problem+json').send(problem);
}

/** Every error leaves as RFC 9457 application/problem+json; internals of unknown errors go to the log only. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(error, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }
}
