/**
 * One secret printed in each of 16 ways, through the real CLI on a local node: not one occurrence,
 * in any encoded form, in any file of the run directory, any file or directory name, or on the
 * console (with and without --debug). Load errors (an include path or a variable-file path made
 * from the secret) are checked on the console, since such a run never gets a directory.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, tempDir, type CliResult } from '../helpers/cli.js';

/** Quote, HTML, URL and JSON specials: each escaped form differs from the plain one. */
const SECRET = `Tok'en<&>"x y/+=Q9z-7Kp`;
/** A multi-line secret: its continuation lines are indented in logs and must still be masked. */
const MULTI = 'first-line-M1xq\n  second-line-N2yr\nthird-line-P3zs';

const html = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const shell = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Every form a sink might write the secrets in; none may appear anywhere. */
const FORMS: [string, string][] = [
  ['plain', SECRET],
  ['JSON-escaped', JSON.stringify(SECRET).slice(1, -1)],
  ['HTML-escaped', html(SECRET)],
  ['shell-quoted', shell(SECRET).slice(1, -1)],
  ['URL-encoded', encodeURIComponent(SECRET)],
  ['base64', Buffer.from(SECRET).toString('base64')],
  ['JSON of HTML', JSON.stringify(html(SECRET)).slice(1, -1)],
  ['JSON of shell', JSON.stringify(shell(SECRET)).slice(1, -1)],
  ['multi-line', MULTI],
  ...MULTI.split('\n').map((l, i): [string, string] => [`multi-line line ${i + 1}`, l.trim()]),
  // What survives a cut, or the safe-name rewrite of a directory name.
  ['prefix', SECRET.slice(0, 8)],
  ['directory-safe form', SECRET.replace(/[^A-Za-z0-9._=-]+/g, '_')],
];

function findForms(where: string, text: string): string[] {
  return FORMS.filter(([, form]) => text.includes(form)).map(([name]) => `${name} form in ${where}`);
}

const SUITE = `import { defineSuite } from 'lisa-ts';
const html = ${html.toString()};
const shell = ${shell.toString()};
export default defineSuite({
  name: 'leak',
  area: 'leak',
  cases: [
    {
      name: 'sixteen_ways',
      async run(ctx) {
        const t = String(ctx.variables.token);
        const m = String(ctx.variables.multi);
        ctx.log.info('1 plain: ' + t);
        ctx.log.info('2 multi-line: ' + m);
        ctx.log.info('3 JSON: ' + JSON.stringify({ t }));
        ctx.log.info('4 HTML: <b>' + html(t) + '</b>');
        ctx.log.info('5 shell-quoted: curl -H ' + shell('Authorization: ' + t));
        ctx.log.info('6 URL: https://example.invalid/?token=' + encodeURIComponent(t));
        ctx.log.info('7 base64: ' + Buffer.from(t).toString('base64'));
        ctx.log.debug('14 debug: ' + t);
        ctx.subResult('9 sub ' + t, 'FAILED', 'sub-result message ' + t);
        // 12: the command line is logged; 13: its output is cut at 20,000 characters across the secret.
        await ctx.node.execute('printf %s ' + shell(t) + ' > /dev/null');
        await ctx.node.execute("head -c 19995 /dev/zero | tr '\\\\0' x; printf '%s\\\\n' " + shell(t) + "; head -c 30000 /dev/zero | tr '\\\\0' y");
        await ctx.node.execute('printf "%s\\\\n" ' + shell(m));
        // 8: the case failure message.
        throw new Error('8 failure: expected ' + t + ' and ' + m);
      },
    },
  ],
});
`;

let dir: string;
before(() => {
  dir = tempDir('lisa-secret16-');
  mkdirSync(join(dir, 'suite'));
  writeFileSync(join(dir, 'suite', 'leak.mjs'), SUITE);
  writeFileSync(join(dir, 'vars.yml'), `token: ${JSON.stringify(SECRET)}\nmulti: ${JSON.stringify(MULTI)}\n`);
  writeFileSync(
    join(dir, 'rb.yml'),
    `name: run-$(token)
variable:
  - file: ./vars.yml
    is_secret: true
extension: [./suite]
combinator:
  type: grid
  items:
    - name: flavour
      value: ["c-$(token)"]
environment:
  environments:
    - nodes:
        - type: local
testcase:
  - criteria:
      area: leak
notifier:
  - type: console
  - type: junit
  - type: json
  - type: html
  - type: text_result
  - type: env_stats
  - type: file
`,
  );
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Every leak below `root`: file contents and the names of files and directories. */
function leaksBelow(root: string): string[] {
  const found: string[] = [];
  for (const e of readdirSync(root, { withFileTypes: true })) {
    const p = join(root, e.name);
    found.push(...findForms(`the name ${p}`, e.name));
    if (e.isDirectory()) found.push(...leaksBelow(p));
    else if (e.isFile())
      found.push(...findForms(p, readFileSync(p, 'latin1')), ...findForms(p, readFileSync(p, 'utf8')));
  }
  return found;
}

function consoleLeaks(r: CliResult): string[] {
  return [...findForms('stdout', r.stdout), ...findForms('stderr', r.stderr)];
}

describe('a secret printed 16 ways appears nowhere', () => {
  for (const debug of [false, true]) {
    it(`lisa run${debug ? ' --debug' : ''}: run directory files, names and console`, () => {
      const runs = join(dir, debug ? 'runs-debug' : 'runs');
      const r = runCli([...(debug ? ['--debug'] : []), 'run', 'rb.yml', '-l', runs], { cwd: dir, timeoutMs: 120_000 });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      // The case ran and failed with its message (masked), so every way was exercised.
      assert.match(r.stdout, /FAILED .*leak\.sixteen_ways/);
      assert.match(r.stdout + r.stderr, /8 failure: expected \*{6}/);
      if (debug) assert.match(r.stderr, /14 debug: \*{6}/);
      assert.deepEqual([...consoleLeaks(r), ...leaksBelow(runs)], []);
      // The output was cut, and the reports link to the case directory that exists.
      const runDir = join(runs, readdirSync(runs)[0]!);
      const caseDirs = readdirSync(join(runDir, 'cases'));
      assert.equal(caseDirs.length, 1, caseDirs.join(', '));
      const caseLog = readFileSync(join(runDir, 'cases', caseDirs[0]!, 'case.log'), 'utf8');
      assert.match(caseLog, /more characters\)/);
      assert.ok(
        readFileSync(join(runDir, 'results.json'), 'utf8').includes(caseDirs[0]!),
        'results.json links the case dir',
      );
    });
  }

  it('15: an include path made from the secret, in the load error', () => {
    writeFileSync(join(dir, 'inc.yml'), 'name: inc\ninclude:\n  - ./conf/$(token)/more.yml\n');
    for (const command of ['check', 'run']) {
      const r = runCli([command, 'inc.yml', '-v', `s:token:${SECRET}`], { cwd: dir });
      assert.equal(r.code, 2, r.stderr);
      assert.match(
        r.stderr,
        /^error: inc\.yml:3:5: include\[0\]: included runbook conf\/\*{6}\/more\.yml: file not found/,
      );
      assert.deepEqual(consoleLeaks(r), []);
    }
  });

  it('16: a variable-file path made from the secret, in the load error', () => {
    writeFileSync(join(dir, 'varfile.yml'), 'name: vf\nvariable:\n  - file: ./vars-$(token).yml\n');
    for (const command of ['check', 'run']) {
      const r = runCli([command, 'varfile.yml'], { cwd: dir, env: { S_LISA_token: SECRET } });
      assert.equal(r.code, 2, r.stderr);
      assert.match(
        r.stderr,
        /^error: varfile\.yml:3:5: variable\[0\]\.file: variable file vars-\*{6}\.yml: file not found/,
      );
      assert.deepEqual(consoleLeaks(r), []);
    }
  });
});
