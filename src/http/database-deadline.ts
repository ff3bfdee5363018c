import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DatabaseBudget, enterDatabaseBudget } from '../database/request-deadline.js';

/**
 * Gives each request its database budget of `deadlineMs` (0: none), in the first hook, so that the API
 * key lookup spends from it too; the pool enforces it (database/pool-deadline.ts). Entered again before
 * validation, since the body's arrival may have run in another async context (as in request-logging.ts),
 * and finished once the request has been answered.
 */
export function registerDatabaseDeadline(fastify: FastifyInstance, deadlineMs: number): void {
  if (deadlineMs <= 0) return;
  const budgets = new WeakMap<FastifyRequest, DatabaseBudget>();
  fastify.addHook('onRequest', (request, _reply, done) => {
    const budget = new DatabaseBudget(deadlineMs);
    budgets.set(request, budget);
    enterDatabaseBudget(budget);
    done();
  });
  fastify.addHook('preValidation', (request, _reply, done) => {
    const budget = budgets.get(request);
    if (budget) enterDatabaseBudget(budget);
    done();
  });
  fastify.addHook('onResponse', (request, _reply, done) => {
    budgets.get(request)?.finish();
    done();
  });
}
