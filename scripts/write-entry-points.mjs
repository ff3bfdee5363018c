// tsc mirrors the source tree (dist/src/main.js, dist/migrations, dist/mikro-orm.config.js); these two
// one-line files give the built app its documented entry points, dist/main.js and dist/cli.js.
import { writeFileSync } from 'node:fs';

for (const name of ['main', 'cli']) {
  writeFileSync(new URL(`../dist/${name}.js`, import.meta.url), `import './src/${name}.js';\n`);
}
