import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'test-results/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Repositories are the only server code with SQL: no query builder, `sql` template or pg client above them.
    files: ['apps/server/src/{services,routes,http,generate,import}/**/*.ts', 'apps/server/src/{app,main,jobs}.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'kysely', importNames: ['sql'], message: 'SQL lives in apps/server/src/repositories/.' },
          { name: 'pg', message: 'Database access lives in apps/server/src/repositories/ (and db/).' },
          { name: 'pg-copy-streams', message: 'COPY lives in apps/server/src/repositories/.' },
          { name: 'pg-cursor', message: 'Cursors live in apps/server/src/repositories/.' },
        ],
      }],
      'no-restricted-syntax': ['error',
        { selector: 'TaggedTemplateExpression[tag.name="sql"]', message: 'SQL lives in apps/server/src/repositories/.' },
        { selector: 'CallExpression[callee.property.name=/^(selectFrom|insertInto|updateTable|deleteFrom|mergeInto|replaceInto|selectNoFrom)$/]', message: 'Queries live in apps/server/src/repositories/.' },
        { selector: 'CallExpression[callee.object.name=/^(client|pool|conn|tx)$/][callee.property.name="query"]', message: 'Queries live in apps/server/src/repositories/.' },
      ],
    },
  },
);
