import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadSuites, SuiteLoadError } from '../../../src/testing/loader.js';

/** A user's suite directory: outside any package, so no package.json says "type": "module". */
function suiteDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lisa-suites-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

test('TypeScript suites load from a bare directory, with relative imports and several suites per file', async () => {
  const dir = suiteDir({
    'helper.ts': 'export function answer(): number { return 42; }\n',
    'mine.ts': `import { answer } from './helper.js';
export const one = { name: 'one', area: 'a', cases: [{ name: 'x', priority: 1, run() { return void answer(); } }] };
export default { name: 'two', area: 'b', tags: ['t'], cases: [{ name: 'y', requirement: { nodes: 2 }, run() {} }] };
`,
  });
  const cases = await loadSuites([dir]);
  assert.deepEqual(cases.map((c) => [c.id, c.area, c.priority, c.tags, c.requirement]).sort(), [
    ['one.x', 'a', 1, [], {}],
    ['two.y', 'b', 2, ['t'], { nodes: 2 }],
  ]);
});

test('a syntax error names the file, line and column', async () => {
  const dir = suiteDir({ 'broken.ts': "export default { name: 'z', area: 'y', cases: [ { name: 'b', run( } ] };\n" });
  await assert.rejects(loadSuites([dir]), (e: Error) => {
    assert.ok(e instanceof SuiteLoadError);
    assert.match(e.message, /broken\.ts: cannot load: [\s\S]*broken\.ts:1:\d+: ERROR: /);
    return true;
  });
});

test('a case without run() and a duplicate case id are clear errors', async () => {
  await assert.rejects(
    loadSuites([suiteDir({ 'a.ts': "export default { name: 's', area: 'y', cases: [{ name: 'c' }] };\n" })]),
    /case s\.c has no run\(\) function/,
  );
  const dup = "export default { name: 's', area: 'y', cases: [{ name: 'c', run() {} }] };\n";
  await assert.rejects(
    loadSuites([suiteDir({ 'a.ts': dup, 'b.ts': dup })]),
    /b\.ts: case s\.c is also defined in .*a\.ts/,
  );
});

test('a missing directory is reported as such', async () => {
  await assert.rejects(
    loadSuites(['/nonexistent/suites']),
    /\/nonexistent\/suites: test suite directory does not exist/,
  );
});
