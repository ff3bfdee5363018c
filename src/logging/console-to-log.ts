import { format, stripVTControlCharacters } from 'node:util';
import { createRootLogger, type RootLogger } from './logging.js';

// Libraries that print through console would break the one-JSON-object-per-line output of the service
// (MikroORM's default logger prints in colour, some bind console.log when first imported), so main.ts imports
// this module before anything else.
const LEVELS = { log: 'info', info: 'info', warn: 'warn', error: 'error', debug: 'debug', trace: 'trace' } as const;

let target: RootLogger = createRootLogger('info').child({ context: 'console' });

for (const [method, level] of Object.entries(LEVELS)) {
  console[method as keyof typeof LEVELS] = (...args: unknown[]) => target[level](stripVTControlCharacters(format(...args)));
}

/** From now on, console output goes to `root` (at its level) as lines of context "console". */
export function routeConsoleTo(root: RootLogger): void {
  target = root.child({ context: 'console' });
}
