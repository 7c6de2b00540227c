/**
 * Extension modules that misbehave while they import: `lisa check` and `lisa run` both end with
 * exit 2 and a first line naming the runbook key that brought the module in, never exit 0 or hang.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli, tempDir } from '../helpers/cli.js';

interface HostileExtension {
  name: string;
  /** The module's code. */
  code: string;
  /** How the runbook names it; `X` is the module's path relative to the runbook. */
  yaml: (x: string) => string;
  /** Module file name: its extension decides JavaScript or TypeScript. */
  file: string;
  expect: RegExp;
  /** Also tried with `lisa run` (the same load path; a few suffice). */
  run?: boolean;
}

const suiteDir = (x: string) => x.slice(0, x.lastIndexOf('/'));

const CASES: HostileExtension[] = [
  {
    name: 'a suite module that throws a number',
    file: 'a.mjs',
    code: 'throw 42;\n',
    yaml: (x) => `extension:\n  - ${suiteDir(x)}\n`,
    expect: /^error: rb\.yml:3:5: extension\[0\]: .*a\.mjs: cannot load: threw 42$/m,
  },
  {
    name: 'a suite module that throws an object without a prototype',
    file: 'a.ts',
    code: 'throw Object.create(null);\n',
    yaml: (x) => `extension:\n  - path: ${suiteDir(x)}\n`,
    expect: /^error: rb\.yml:3:11: extension\[0\]\.path: .*a\.ts: cannot load: threw \{\}$/m,
  },
  {
    name: 'a suite module that never finishes importing',
    run: true,
    file: 'a.mjs',
    code: 'await new Promise(() => {});\n',
    yaml: (x) => `extension:\n  paths: [${suiteDir(x)}]\n`,
    expect: /^error: rb\.yml:3:11: extension\.paths\[0\]: .*a\.mjs: cannot load: did not finish importing within 1 s/m,
  },
  {
    name: 'a TypeScript suite module that calls process.exit(0)',
    run: true,
    file: 'a.ts',
    code: 'process.exit(0);\n',
    yaml: (x) => `extension:\n  - ${suiteDir(x)}\n`,
    expect:
      /^error: rb\.yml:3:5: extension\[0\]: .*a\.ts: cannot load: called process\.exit\(0\) while being imported$/m,
  },
  {
    name: 'a suite module that calls process.exit from a timer while it awaits',
    file: 'a.mjs',
    code: 'setTimeout(() => process.exit(0), 10);\nawait new Promise(() => {});\n',
    yaml: (x) => `extension:\n  - ${suiteDir(x)}\n`,
    expect: /^error: rb\.yml:3:5: extension\[0\]: .*cannot load: called process\.exit\(0\) while being imported$/m,
  },
  {
    name: 'a suite module that catches its own process.exit and goes on',
    file: 'a.mjs',
    code: 'try { process.exit(0); } catch {}\nexport const x = 1;\n',
    yaml: (x) => `extension:\n  - ${suiteDir(x)}\n`,
    expect: /^error: rb\.yml:3:5: extension\[0\]: .*cannot load: called process\.exit\(0\) while being imported$/m,
  },
  {
    name: 'a platform module that calls process.exit',
    run: true,
    file: 'p.mjs',
    code: 'process.exit(0);\n',
    yaml: (x) => `platform:\n  - type: ${x}\n`,
    expect:
      /^error: rb\.yml:3:11: platform\[0\]\.type: cannot load platform module .*p\.mjs: called process\.exit\(0\)/m,
  },
  {
    name: 'a notifier module that throws undefined from a rejected promise',
    file: 'n.mjs',
    code: 'Promise.reject(undefined);\nawait new Promise((r) => setTimeout(r, 200));\nexport default {};\n',
    yaml: (x) => `notifier:\n  - type: ${x}\n`,
    expect:
      /^error: rb\.yml:3:11: notifier\[0\]\.type: cannot load notifier module .*n\.mjs: failed while importing: threw undefined$/m,
  },
];

describe('hostile extensions: check and run exit 2 naming the runbook key', () => {
  const root = tempDir('lisa-hostile-ext-');
  after(() => rmSync(root, { recursive: true, force: true }));
  for (const [i, c] of CASES.entries()) {
    it(c.name, () => {
      const dir = join(root, String(i));
      mkdirSync(join(dir, 'ext'), { recursive: true });
      writeFileSync(join(dir, 'ext', c.file), c.code);
      writeFileSync(join(dir, 'rb.yml'), `name: hostile\n${c.yaml(`./ext/${c.file}`)}`);
      for (const command of c.run ? ['check', 'run'] : ['check']) {
        const started = Date.now();
        const args = command === 'run' ? ['run', 'rb.yml', '-l', join(dir, 'runs')] : ['check', 'rb.yml'];
        const r = runCli(args, {
          cwd: dir,
          env: { LISA_IMPORT_TIMEOUT: '1' },
          timeoutMs: 20_000,
        });
        const ms = Date.now() - started;
        assert.equal(r.code, 2, `${command}: ${r.stdout}${r.stderr}`);
        assert.match(r.stderr.split('\n')[0] ?? '', c.expect, `${command}: ${r.stderr}`);
        assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
        assert.equal(r.stdout, '', `${command} printed nothing on stdout`);
        assert.ok(ms < 10_000, `${command} took ${ms} ms`);
      }
    });
  }
});
