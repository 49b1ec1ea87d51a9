/**
 * Layer and cycle rules (`npm run lint` runs it after eslint). The server's layers, top to bottom:
 *   app.ts, main.ts → routes/ → services/ → repositories/ → db/
 * plus helpers beside them (http/, import/, generate/, cli/, testing/). A module may import its own layer and the
 * layers below it, never above; db/schema (the generated table types) and db/raw (the pg client under a
 * transaction) belong to the persistence layer only; packages/domain imports nothing of the apps.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: split the module or move what both need one layer down.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'packages/domain is imported by the apps and imports nothing of theirs.',
      from: { path: '^packages/domain/' },
      to: { path: '^apps/' },
    },
    {
      name: 'web-not-server',
      severity: 'error',
      comment: 'The web app talks to the server over HTTP only (types come from the domain contract). Its browser tests (e2e/) drive the whole product and may share the server tests\' helpers.',
      from: { path: '^apps/web/src/' },
      to: { path: '^apps/server/' },
    },
    {
      name: 'server-not-web',
      severity: 'error',
      from: { path: '^apps/server/' },
      to: { path: '^apps/web/' },
    },
    {
      name: 'nothing-imports-app',
      severity: 'error',
      comment: 'app.ts and main.ts are the top: routes and services take their types from services/container.ts.',
      from: { path: '^apps/server/src/(routes|services|repositories|db|http|import|generate)/' },
      to: { path: '^apps/server/src/(app|main)\\.ts$' },
    },
    {
      name: 'routes-above-services',
      severity: 'error',
      comment: 'Services, repositories and db do not know the HTTP routes.',
      from: { path: '^apps/server/src/(services|repositories|db|import|generate)/' },
      to: { path: '^apps/server/src/routes/' },
    },
    {
      name: 'routes-through-services',
      severity: 'error',
      comment: 'Routes call services; they do not reach repositories or the database.',
      from: { path: '^apps/server/src/routes/' },
      to: { path: '^apps/server/src/(repositories|db)/' },
    },
    {
      name: 'services-above-repositories',
      severity: 'error',
      comment: 'Repositories (and db) do not import services: put what both need in the repository layer or the domain.',
      from: { path: '^apps/server/src/(repositories|db)/' },
      to: { path: '^apps/server/src/services/' },
    },
    {
      name: 'repositories-above-db',
      severity: 'error',
      comment: 'db/ (Database, migrations, embedded PostgreSQL) does not import repositories.',
      from: { path: '^apps/server/src/db/' },
      to: { path: '^apps/server/src/repositories/' },
    },
    {
      name: 'table-types-in-persistence',
      severity: 'error',
      comment: 'The generated table types are for db/ and the repositories; services and routes use domain types or repository rows.',
      from: { path: '^apps/server/', pathNot: '^apps/server/src/(db|repositories)/' },
      to: { path: '^apps/server/src/db/schema/' },
    },
    {
      name: 'raw-client-in-repositories',
      severity: 'error',
      comment: 'The pg client under a transaction (rawClient) is for repositories only; services hold a Tx.',
      from: { path: '^apps/server/', pathNot: '^apps/server/src/(db|repositories)/' },
      to: { path: '^apps/server/src/db/raw\\.ts$' },
    },
    {
      name: 'no-pg-in-services',
      severity: 'error',
      comment: 'Services and routes hold a Tx and call repositories; pg and SQL stay in repositories and db.',
      from: { path: '^apps/server/src/(services|routes)/' },
      to: { path: '(^|/)node_modules/(pg|pg-copy-streams|pg-cursor)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|data|\\.tmp|test-results)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.depcruise.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
