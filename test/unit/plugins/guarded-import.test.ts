import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  describeThrown,
  ExtensionImportError,
  guardedImport,
  importTimeoutMs,
} from '../../../src/plugins/guarded-import.js';
import { importModule, loadErrorDetail } from '../../../src/plugins/import.js';

describe('describeThrown', () => {
  it('renders every kind of thrown value as text', () => {
    assert.equal(describeThrown(new Error('boom')), 'boom');
    assert.equal(describeThrown('text'), 'text');
    assert.equal(describeThrown(42), 'threw 42');
    assert.equal(describeThrown(null), 'threw null');
    assert.equal(describeThrown(undefined), 'threw undefined');
    assert.equal(describeThrown(Symbol('s')), 'threw Symbol(s)');
    assert.equal(describeThrown(Object.create(null)), 'threw {}');
    assert.equal(describeThrown({ a: 1 }), 'threw {"a":1}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.equal(describeThrown(cyclic), 'threw [object Object]');
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('no');
        },
      },
    );
    assert.equal(describeThrown(hostile), 'threw a value that cannot be printed');
  });
  it('keeps the first lines of a multi-line message', () => {
    assert.equal(loadErrorDetail(new Error('a\n\nb\nc\nd\ne')), 'a\n  b\n  c\n  d');
  });
});

describe('importTimeoutMs', () => {
  it('reads LISA_IMPORT_TIMEOUT in seconds, with a default and a timer-sized ceiling', () => {
    assert.equal(importTimeoutMs({}), 8000);
    assert.equal(importTimeoutMs({ LISA_IMPORT_TIMEOUT: '2.5' }), 2500);
    assert.equal(importTimeoutMs({ LISA_IMPORT_TIMEOUT: 'soon' }), 8000);
    assert.equal(importTimeoutMs({ LISA_IMPORT_TIMEOUT: '-1' }), 8000);
    assert.equal(importTimeoutMs({ LISA_IMPORT_TIMEOUT: '1e12' }), 2 ** 31 - 1);
  });
});

describe('guardedImport', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lisa-guard-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const module = (name: string, code: string) => {
    const file = join(dir, name);
    writeFileSync(file, code);
    return file;
  };

  it('returns the module of a well-behaved import and restores process.exit', async () => {
    const exit = Reflect.get(process, 'exit') as unknown;
    const mod = await importModule(module('ok.mjs', 'export const x = 1;\n'));
    assert.equal(mod.x, 1);
    assert.equal(Reflect.get(process, 'exit'), exit);
  });
  it('turns process.exit during import into an error, and process.exit is the real one afterwards', async () => {
    const exit = Reflect.get(process, 'exit') as unknown;
    await assert.rejects(
      importModule(module('exit.mjs', 'process.exit(7);\n')),
      (e: unknown) => e instanceof ExtensionImportError && /process\.exit\(7\)/.test(e.message),
    );
    assert.equal(Reflect.get(process, 'exit'), exit);
  });
  it('fails a module that never finishes importing after the limit', async () => {
    const started = Date.now();
    await assert.rejects(
      guardedImport(() => new Promise(() => {}), 200),
      /did not finish importing within 0\.2 s/,
    );
    assert.ok(Date.now() - started < 2000);
  });
  it('passes an ordinary import error through unchanged', async () => {
    const err = new SyntaxError('bad');
    await assert.rejects(
      guardedImport(() => Promise.reject(err), 1000),
      (e: unknown) => e === err,
    );
  });
  // What escapes a module's timers is covered end to end (test/reliability/hostile-extensions):
  // node:test's own uncaughtException listener would claim it here.
});
