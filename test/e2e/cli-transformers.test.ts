import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { RunEvent, RunEventOf } from '../../src/results/events.js';
import { onlyRunDir, readEvents, repoRoot, runCli, tempDir, writeRunbook } from '../helpers/cli.js';

const LOCAL_PLATFORM = `platform:
  - type: ready
environment:
  environments:
    - name: here
      nodes:
        - type: local
`;

describe('transformers and a csv combinator through lisa run on a local node', () => {
  let dir: string;
  let result: ReturnType<typeof runCli>;
  let events: RunEvent[];
  let runDir: string;

  before(() => {
    dir = tempDir('lisa-xform-');
    writeFileSync(join(dir, 'flavours.csv'), 'Flavour,Extra\nalpha,1\nbeta,\n"gamma",3\n');
    const file = writeRunbook(
      dir,
      'runbook.yml',
      `name: xform
log_path: ${join(dir, 'runs')}
extension:
  - ${join(repoRoot, 'test/fixtures/suites/transformers')}
variable:
  - name: stamp_file
    value: ${join(dir, 'stamp-$(flavour).txt')}
${LOCAL_PLATFORM}testcase:
  - criteria:
      area: xform
      tags: outputs
notifier:
  - type: json
  - type: junit
  - type: html
combinator:
  type: csv
  file_name: flavours.csv
  column_mapping:
    - column: Flavour
      variable: flavour
    - column: Extra
      variable: extra
      default: 2
transformer:
  - type: script
    name: probe
    phase: expanded
    depends_on: [stamp]
    scripts:
      - run: test "$(flavour)" != gamma || { echo "gamma is not supported" >&2; exit 3; }
      - run: echo "$(flavour)-ok"
        output: value
  - type: script
    name: stamp
    phase: init
    rename:
      stamp_text: marker
    scripts:
      - run: echo init-stamp
        output: text
  - type: script
    name: env_stamp
    phase: environment_connected
    scripts:
      - run: echo "$(probe_value) $(extra)" > $(stamp_file) && cat $(stamp_file)
        output: content
  - type: script
    name: tidy
    phase: cleanup
    scripts:
      - run: rm -f ${join(dir, 'stamp-')}*.txt && echo tidy > ${join(dir, 'tidy.txt')}
  - type: script
    name: off
    enabled: false
    scripts:
      - run: exit 1
`,
    );
    result = runCli(['run', file]);
    runDir = onlyRunDir(join(dir, 'runs'));
    events = readEvents(runDir);
  });

  test('three csv rows run three combinations; the gamma one fails naming its transformer, exit 1', () => {
    assert.equal(result.code, 1, result.stdout + result.stderr);
    const combos = events.filter((e): e is RunEventOf<'combination.begin'> => e.type === 'combination.begin');
    assert.deepEqual(
      combos.map((c) => c.combination.variables),
      [
        { flavour: 'alpha', extra: 1 },
        { flavour: 'beta', extra: 2 },
        { flavour: 'gamma', extra: 3 },
      ],
    );
    const ends = events.filter((e): e is RunEventOf<'case.end'> => e.type === 'case.end');
    assert.deepEqual(
      ends.map((e) => [e.case.combination, e.status]),
      [
        ['flavour=alpha,extra=1', 'PASSED'],
        ['flavour=beta,extra=2', 'PASSED'],
        ['flavour=gamma,extra=3', 'FAILED'],
      ],
      JSON.stringify(ends.map((e) => e.message)),
    );
    const failed = ends[2]!;
    assert.match(
      failed.message,
      /^transformer "probe" \(script, expanded\) failed: scripts\[0\] on host: .*exited with 3/,
    );
    assert.match(failed.message, /gamma is not supported/);
    assert.ok(failed.logPath && readFileSync(failed.logPath, 'utf8').includes('gamma is not supported'));
  });

  test('transformers run in dependency order, once per phase scope, and appear in the events', () => {
    const tends = events.filter((e): e is RunEventOf<'transformer.end'> => e.type === 'transformer.end');
    const seen = tends.map((e) => `${e.transformer.name}:${e.transformer.combination ?? '-'}:${e.status}`);
    assert.deepEqual(seen, [
      'stamp:-:PASSED',
      'off:-:SKIPPED',
      'probe:flavour=alpha,extra=1:PASSED',
      'env_stamp:flavour=alpha,extra=1:PASSED',
      'probe:flavour=beta,extra=2:PASSED',
      'env_stamp:flavour=beta,extra=2:PASSED',
      'probe:flavour=gamma,extra=3:FAILED',
      'tidy:-:PASSED',
    ]);
    assert.deepEqual(tends[0]!.outputs, { marker: 'init-stamp' });
    assert.deepEqual(tends[2]!.outputs, { probe_value: 'alpha-ok' });
    assert.deepEqual(tends[3]!.outputs, { env_stamp_content: 'alpha-ok 1' });
    assert.equal(tends[3]!.transformer.envId !== undefined, true);
    assert.ok(existsSync(join(dir, 'tidy.txt')), 'the cleanup transformer ran');
  });

  test('every report carries the transformers', () => {
    const json = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as {
      transformers: { name: string; status: string; outputs: Record<string, unknown> }[];
    };
    assert.equal(json.transformers.length, 8);
    assert.equal(json.transformers.find((t) => t.status === 'FAILED')?.name, 'probe');
    const junit = readFileSync(join(runDir, 'junit.xml'), 'utf8');
    assert.match(junit, /<testsuite name="lisa transformers"/);
    assert.match(
      junit,
      /classname="transformer.script" name="probe \(script, expanded, flavour=gamma,extra=3\)"[^>]*>\s*<failure/,
    );
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');
    assert.match(html, /<h2>Transformers<\/h2>/);
    assert.match(html, /marker=init-stamp/);
    assert.match(result.stdout, /PASSED +transformer stamp \(script, init\) .* - marker=init-stamp/);
    assert.match(result.stdout, /FAILED +transformer probe \(script, expanded, flavour=gamma,extra=3\)/);
  });
});

describe('transformer mistakes are runbook errors naming file, line and key', () => {
  const check = (transformers: string) => {
    const dir = tempDir('lisa-xform-bad-');
    const file = writeRunbook(dir, 'bad.yml', `${LOCAL_PLATFORM}transformer:\n${transformers}`);
    return runCli(['check', file]);
  };

  test('a dependency cycle', () => {
    const r = check(`  - type: script
    name: a
    depends_on: [b]
    scripts: [{ run: 'true' }]
  - type: script
    name: b
    depends_on: [a]
    scripts: [{ run: 'true' }]
`);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      /bad\.yml:\d+:\d+: transformer\[\d\]\.depends_on\[0\]: dependency cycle: (a -> b -> a|b -> a -> b)/,
    );
  });

  test('an unknown type', () => {
    const r = check(`  - type: script
    scripts: [{ run: 'true' }]
  - type: kernel_magic
`);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      /bad\.yml:11:11: transformer\[1\]\.type: unknown transformer type "kernel_magic"; known: .*script/,
    );
  });

  test('an unknown dependency, an unknown key and a rename of no output, all at once', () => {
    const r = check(`  - type: script
    name: a
    depends_on: [nope]
    rename: { a_zzz: x }
    scripts: [{ run: 'true', outptu: v }]
`);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      /bad\.yml:11:\d+: transformer\[0\]\.depends_on\[0\]: unknown transformer "nope"; defined: a/,
    );
    assert.match(r.stderr, /bad\.yml:12:\d+: transformer\[0\]\.rename\.a_zzz: "a_zzz" is not an output of a/);
    assert.match(
      r.stderr,
      /bad\.yml:13:\d+: transformer\[0\]\.scripts\[0\]\.outptu: unknown key "outptu"; did you mean "output"\?/,
    );
  });
});
