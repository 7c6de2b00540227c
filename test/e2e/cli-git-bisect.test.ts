import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { RunEvent, RunEventOf } from '../../src/results/events.js';
import { onlyRunDir, readEvents, repoRoot, runCli, tempDir, writeRunbook } from '../helpers/cli.js';

const COMMITS = 20;
const FIRST_BAD = 13; // commit index whose change breaks the behaviour the case checks

/** A repository whose answer.sh prints 42 until commit FIRST_BAD, then 41; every commit changes VERSION. */
function makeRepo(dir: string): string[] {
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, ...args], {
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@t',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@t',
      },
    }).trim();
  mkdirSync(dir, { recursive: true });
  git('init', '-q', '-b', 'main');
  const shas: string[] = [];
  for (let i = 0; i < COMMITS; i++) {
    writeFileSync(join(dir, 'VERSION'), `${i}\n`);
    writeFileSync(join(dir, 'answer.sh'), `echo ${i >= FIRST_BAD ? 41 : 42}\n`);
    git('add', '-A');
    git('commit', '-q', '-m', i === FIRST_BAD ? 'Compute the answer faster' : `Change ${i}`);
    shas.push(git('rev-parse', 'HEAD'));
  }
  git('tag', 'v0', shas[0]!);
  return shas;
}

describe('git_bisect through lisa run: a seeded regression is found by the harness', () => {
  let shas: string[];
  let result: ReturnType<typeof runCli>;
  let events: RunEvent[];
  let runDir: string;

  before(() => {
    const dir = tempDir('lisa-bisect-');
    const repo = join(dir, 'repo');
    shas = makeRepo(repo);
    const file = writeRunbook(
      dir,
      'bisect.yml',
      `name: bisect
log_path: ${join(dir, 'runs')}
extension:
  - ${join(repoRoot, 'test/fixtures/suites/transformers')}
platform:
  - type: ready
environment:
  environments:
    - nodes:
        - type: local
testcase:
  - criteria:
      area: xform
      tags: bisect
notifier:
  - type: json
combinator:
  type: git_bisect
  repo: ./repo
  good_commit: v0
  bad_commit: main
transformer:
  - type: script
    name: build
    phase: expanded
    scripts:
      - run: mkdir -p ${dir}/builds/$(ref) && git -C ${repo} archive $(ref) | tar -x -C ${dir}/builds/$(ref) && echo ${dir}/builds/$(ref)
        output: dir
  - type: script
    name: install
    phase: environment_connected
    depends_on: [build]
    prefix: ''
    scripts:
      - run: rm -rf ${dir}/installed && cp -r $(build_dir) ${dir}/installed && echo ${dir}/installed
        output: install_dir
`,
    );
    result = runCli(['run', file]);
    runDir = onlyRunDir(join(dir, 'runs'));
    events = readEvents(runDir);
  });

  test('names the seeded commit as the first bad one within ceil(log2 n) + 1 iterations', () => {
    const end = events.find((e): e is RunEventOf<'bisect.end'> => e.type === 'bisect.end');
    assert.ok(end, result.stdout + result.stderr);
    assert.equal(end.firstBad, shas[FIRST_BAD]);
    const n = COMMITS - 1; // candidates after the good commit
    assert.ok(end.iterations <= Math.ceil(Math.log2(n)) + 1, `${end.iterations} iterations`);
    assert.match(
      result.stdout,
      new RegExp(`bisect first bad commit: ${shas[FIRST_BAD]!.slice(0, 7)}\\w* Compute the answer faster`),
    );
  });

  test('each iteration built and installed its commit and the case verdict marked it', () => {
    const steps = events.filter((e): e is RunEventOf<'bisect.step'> => e.type === 'bisect.step');
    assert.ok(steps.length >= 3);
    for (const s of steps) {
      const index = shas.indexOf(s.commit);
      assert.ok(index > 0, s.commit);
      assert.equal(s.verdict, index >= FIRST_BAD ? 'bad' : 'good', `commit ${index}`);
      const ends = events.filter(
        (e): e is RunEventOf<'case.end'> => e.type === 'case.end' && e.case.combination === `ref=${s.commit}`,
      );
      assert.deepEqual(
        ends.map((e) => e.status),
        [index >= FIRST_BAD ? 'FAILED' : 'PASSED'],
      );
    }
    const installs = events.filter(
      (e): e is RunEventOf<'transformer.end'> => e.type === 'transformer.end' && e.transformer.name === 'install',
    );
    assert.equal(installs.length, steps.length);
    assert.equal(result.code, 1, 'the bad commits failed their case');
  });

  test('the whole trail is in the JSON report', () => {
    const json = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as {
      bisect: { firstBad: string; steps: { commit: string; verdict: string }[] };
    };
    assert.equal(json.bisect.firstBad, shas[FIRST_BAD]);
    assert.equal(json.bisect.steps.length, events.filter((e) => e.type === 'bisect.step').length);
  });
});
