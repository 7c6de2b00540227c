// Import boundaries, checked by `npm run lint` (dependency-cruiser). The table below is the one in
// docs/architecture.md ("Import boundaries"); change both together.
//
// Each src/ folder names the other src/ folders it may import. A folder that is not in the table
// is an error until it is added: the table must list every folder.
/** @type {Record<string, string[]>} */
const MAY_IMPORT = {
  cli: ['*'],
  logging: [],
  shell: [],
  process: [],
  plugins: [],
  os: ['node', 'shell'],
  node: ['logging', 'os', 'shell'],
  tool: ['logging', 'node', 'os', 'shell'],
  testing: ['logging', 'node', 'os', 'platform', 'plugins', 'shell', 'tool'],
  results: ['logging', 'runbook', 'testing'],
  runbook: ['logging', 'notifiers', 'platform', 'plugins', 'transformer'],
  transformer: ['logging', 'node', 'os', 'platform', 'results', 'runbook', 'shell'],
  platform: ['logging', 'node', 'os', 'plugins', 'process', 'runbook', 'shell', 'testing'],
  notifiers: ['logging', 'plugins', 'results', 'runbook', 'testing'],
  orchestrator: [
    'logging',
    'node',
    'notifiers',
    'os',
    'platform',
    'plugins',
    'process',
    'results',
    'runbook',
    'shell',
    'testing',
    'tool',
    'transformer',
  ],
};

const folders = MAY_IMPORT;
const names = Object.keys(folders).join('|');

function folderRule(folder, allowed) {
  if (allowed.includes('*')) return undefined;
  const ok = [folder, ...allowed].join('|');
  return {
    name: `boundary-${folder}`,
    severity: 'error',
    comment: `src/${folder}/ may import only: ${allowed.length ? allowed.map((a) => `src/${a}/`).join(', ') : 'nothing else in src/'} (docs/architecture.md, "Import boundaries")`,
    from: { path: `^src/${folder}/` },
    to: { path: '^src/', pathNot: [`^src/(${ok})/`] },
  };
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'src-not-tools-or-testsuites',
      severity: 'error',
      comment: 'src/ is the engine; tools/ and testsuites/ are built on it, never the reverse',
      from: { path: '^src/' },
      to: { path: '^(tools|testsuites)/' },
    },
    {
      name: 'platform-notifiers-not-orchestrator',
      severity: 'error',
      comment: 'platforms and notifiers are plugins the orchestrator drives; they never reach back into it',
      from: { path: '^src/(platform|notifiers)/' },
      to: { path: '^src/orchestrator/' },
    },
    {
      name: 'tools-not-testsuites',
      severity: 'error',
      comment: 'tools/ wrap commands; suites use tools, tools never use suites',
      from: { path: '^tools/' },
      to: { path: '^testsuites/' },
    },
    {
      name: 'tools-use-node-layer',
      severity: 'error',
      comment: 'a tool wraps a command on a node: it needs src/node, os, shell and tool, not the engine',
      from: { path: '^tools/' },
      to: { path: '^src/', pathNot: '^src/(node|os|shell|tool|logging)/' },
    },
    {
      name: 'suites-use-case-api',
      severity: 'error',
      comment: 'a suite sees the case context (src/testing) and nodes; the engine that runs it is not its business',
      from: { path: '^testsuites/' },
      to: { path: '^src/(cli|orchestrator|notifiers|runbook|results|plugins)/' },
    },
    {
      name: 'product-not-test-code',
      severity: 'error',
      comment: 'src/, tools/ and testsuites/ ship; test/, bench/ and docs/ do not',
      from: { path: '^(src|tools|testsuites)/' },
      to: { path: '^(test|bench|docs|scripts)/' },
    },
    {
      name: 'src-folder-in-table',
      severity: 'error',
      comment: 'every src/ folder lists what it may import: add it to MAY_IMPORT here and to docs/architecture.md',
      from: { path: '^src/[^/]+/', pathNot: `^src/(${names})/` },
      to: {},
    },
    {
      name: 'src-not-barrel',
      severity: 'error',
      comment: 'src/index.ts is the public API for users; code inside src/ imports the module it needs',
      from: { path: '^src/[^/]+/' },
      to: { path: '^src/index\\.ts$' },
    },
    ...Object.entries(folders)
      .map(([folder, allowed]) => folderRule(folder, allowed))
      .filter(Boolean),
    {
      name: 'no-runtime-cycle',
      severity: 'error',
      comment: 'modules that load each other at run time: initialisation order bugs; break the cycle',
      from: {},
      // A lazy `await import()` back into the cycle runs after both modules have loaded, so it is not
      // an initialisation-order hazard (a registration that imports its implementation on demand).
      to: {
        circular: true,
        viaOnly: { dependencyTypesNot: ['type-only', 'pre-compilation-only', 'dynamic-import'] },
      },
    },
    {
      name: 'type-only-cycle',
      severity: 'warn',
      comment: 'a cycle through type-only imports: harmless at run time, but a sign two modules share one concept',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'an import that resolves to nothing',
      from: {},
      // docs/examples import the package by its public name, as a user's code does; that resolves
      // to the build output through package.json "exports", which need not exist to lint.
      to: { couldNotResolve: true, pathNot: '^lisa-ts(/tools)?$' },
    },
    {
      name: 'not-to-dev-dep',
      severity: 'error',
      comment: 'shipped code must not need a devDependency at run time',
      from: { path: '^(src|tools|testsuites)/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only', 'pre-compilation-only'] },
    },
    {
      name: 'no-undeclared-package',
      severity: 'error',
      comment: 'an npm package used but not declared in package.json',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|runtime|test/fixtures)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    cache: false,
  },
};
