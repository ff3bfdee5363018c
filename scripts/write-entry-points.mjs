// tsc mirrors the source tree (dist/src/main.js, dist/migrations, dist/mikro-orm.config.js); these two
// small files give the built app its documented entry points, dist/main.js and dist/cli.js.
//
// Each first turns on Node's on-disk compile cache (bytecode of every module loaded, kept in the OS's
// temporary folder, checked against the source), then loads the app: a start after the first skips most
// of the parsing and compiling of Nest, Fastify and MikroORM (docs/benchmarks.md, cold-start). The import
// is dynamic because static ones would load before the cache is on. NODE_DISABLE_COMPILE_CACHE=1 turns
// it off; an unwritable folder only leaves it off.
//
// dist/cli.js is also the package's executable (`bin` in package.json: `npx pipeline-ledger run …`), so it
// starts with a shebang and is executable.
import { chmodSync, writeFileSync } from 'node:fs';

for (const name of ['main', 'cli']) {
  const shebang = name === 'cli' ? '#!/usr/bin/env node\n' : '';
  const entry = `${shebang}import { enableCompileCache } from 'node:module';\n\nenableCompileCache?.();\nawait import('./src/${name}.js');\n`;
  const file = new URL(`../dist/${name}.js`, import.meta.url);
  writeFileSync(file, entry);
  if (shebang) chmodSync(file, 0o755);
}
