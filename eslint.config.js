// ESLint flat config: type-aware typescript-eslint rules for every TypeScript folder; formatting
// is prettier's job (eslint-config-prettier switches off the rules that would fight it).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    // Fixtures are inputs to tests (suites loaded at run time, planted lint violations), not code
    // of the project; they are checked where a test needs them to be.
    ignores: ['dist/**', 'node_modules/**', 'runtime/**', 'test/fixtures/**'],
  },
  {
    // .mts too: plugins loaded by path and the docs' examples may be ES-module TypeScript files.
    files: ['{src,tools,testsuites,test,bench,docs/examples}/**/*.{ts,mts}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A promise nobody awaits loses its rejection (an unhandled rejection kills the run) and
      // its ordering; these two stay errors at zero.
      // node:test's top-level test()/describe()/it() return a promise the runner itself tracks;
      // a subtest (t.test) is not in this list: it must be awaited.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      // Interface methods (Platform.match, Notifier.finish, Tool.install) are `async` on purpose
      // even when they do not await: a throw inside them becomes a rejection the caller handles,
      // which a plain function returning Promise.resolve() would not give.
      '@typescript-eslint/require-await': 'off',
      // Relaying a caught `unknown` unchanged (a rejection passed through) is right; creating a
      // rejection from anything else must use an Error.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // Tests assert on output exactly as printed: runs of spaces in column layouts, and control
    // characters that must (or must not) reach a terminal or an XML report.
    files: ['test/**/*.{ts,mts}'],
    rules: { 'no-regex-spaces': 'off', 'no-control-regex': 'off' },
  },
  {
    // Build and stats scripts and this file: plain JavaScript run by Node, no type information.
    files: ['scripts/**/*.mjs', 'eslint.config.js', '.dependency-cruiser.cjs'],
    extends: [js.configs.recommended],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        performance: 'readonly',
        URL: 'readonly',
        module: 'writable',
      },
    },
  },
  prettier,
);
