import type { FastifyInstance } from 'fastify';

/**
 * A client that asks for an answer and then does not read it (or reads it slower than a trickle) holds a
 * socket, and the answer's memory, for as long as it likes: Fastify's connectionTimeout is 0. From the moment
 * an answer is handed to the socket, the socket is destroyed once nothing has moved on it for `idleMs`
 * (Node's socket inactivity timeout; with no 'timeout' listener the HTTP server destroys the socket).
 * Set here rather than as the server's timeout, which would also run while the service works on a request
 * (a large batch, an outage's bounded wait) and cut it short. When the answer has been written, Node replaces
 * it with the keep-alive timeout, and the next request starts without it.
 */
export function boundStalledAnswers(fastify: FastifyInstance, idleMs: number): void {
  fastify.addHook('onSend', (request, _reply, payload, done) => {
    // Injected requests (light-my-request) have a socket without timers.
    const socket = request.raw.socket as { setTimeout?: (ms: number) => unknown } | undefined;
    if (typeof socket?.setTimeout === 'function') socket.setTimeout(idleMs);
    done(null, payload);
  });
}
