// `node --import ./test/support/module-census.mjs …`: writes the URL of every module the process loaded,
// one a line, to the file MODULE_CENSUS names, when it exits. For tests of what a command loads.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const loaded = new Set();
registerHooks({
  load(url, context, nextLoad) {
    loaded.add(url);
    return nextLoad(url, context);
  },
});
process.on('exit', () => writeFileSync(process.env.MODULE_CENSUS, [...loaded].join('\n')));
