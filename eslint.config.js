import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'test/.tmp/', 'bench/results/', 'migrations/.snapshot.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      // Nest and MikroORM decorate classes whose constructor types are only used for injection metadata.
      '@typescript-eslint/consistent-type-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Nothing but src/config reads the environment (house style: one validated config object).
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through loadConfig() in src/config.' },
      ],
    },
  },
  {
    // The config loaders themselves (the service's, db:roles', the run wrapper's), and test/tooling code that sets up environments
    // for child processes.
    files: ['src/config/app.config.ts', 'src/config/roles.config.ts', 'src/config/client.config.ts', 'test/**', 'bench/**', 'scripts/**', '*.config.js'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // The connection is a leaf of the migrator, the roles and the HTTP layer: they build on it, never the reverse.
    files: ['src/database/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/migrator/**', '**/roles/**', '**/http/**'], message: 'src/database is the connection only.' }] }],
    },
  },
  {
    // Generated migrations escape every `$` in their SQL template strings; they are reviewed, not restyled.
    files: ['migrations/**'],
    rules: { 'no-useless-escape': 'off' },
  },
);
