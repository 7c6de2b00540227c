import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { RunbookError } from '../../../src/runbook/errors.js';
import { loadRunbook } from '../../../src/runbook/load.js';
import { runbooksDir } from './fixtures.js';

/** Each bad runbook and the exact message a user sees. */
const expected: Record<string, string> = {
  'syntax-unclosed-quote.yml': 'bad/syntax-unclosed-quote.yml:4:1: YAML syntax error: Missing closing "quote',
  'syntax-bad-indent.yml': 'bad/syntax-bad-indent.yml:3:1: YAML syntax error: Sequence item without - indicator',
  'syntax-duplicate-key.yml': 'bad/syntax-duplicate-key.yml:3:1: YAML syntax error: Map keys must be unique',
  'syntax-two-documents.yml':
    'bad/syntax-two-documents.yml:2:1: YAML syntax error: a runbook must be a single YAML document (remove the second `---`)',
  'top-level-list.yml':
    'bad/top-level-list.yml:1:1: a runbook must be a mapping of keys (name, platform, testcase, ...), found a list',
  'unknown-top-key.yml': 'bad/unknown-top-key.yml:2:1: platfrom: unknown key "platfrom"; did you mean "platform"?',
  'unknown-rule-key.yml':
    'bad/unknown-rule-key.yml:4:5: testcase[0].selct_action: unknown key "selct_action"; did you mean "select_action"?',
  'bad-select-action.yml':
    'bad/bad-select-action.yml:4:20: testcase[0].select_action: must be one of: include, exclude, forceInclude, forceExclude, none; found string "inclde"; did you mean "include"?',
  'priority-wrong-type.yml':
    'bad/priority-wrong-type.yml:5:17: testcase[1].criteria.priority: expected a number or a list, found string "high"',
  'priority-list-element.yml':
    'bad/priority-list-element.yml:3:24: testcase[0].criteria.priority[2]: expected a number, found string "two"',
  'bad-regex.yml':
    'bad/bad-regex.yml:3:13: testcase[0].criteria.name: invalid regular expression "(smoke": Unterminated group',
  'bad-regex-shorthand.yml':
    'bad/bad-regex-shorthand.yml:2:11: testcase[0].area: invalid regular expression "[network": Unterminated character class',
  'criteria-both.yml': 'bad/criteria-both.yml:2:11: testcase[0].name: given both here and in criteria; keep one',
  'concurrency-negative.yml':
    'bad/concurrency-negative.yml:3:14: concurrency: must be greater than 0, found integer -2',
  'concurrency-string.yml': 'bad/concurrency-string.yml:1:14: concurrency: expected a number, found string "four"',
  'exit-on-first-failure-string.yml':
    'bad/exit-on-first-failure-string.yml:1:24: exit_on_first_failure: expected true or false, found string "yes please"',
  'undefined-variable.yml':
    'bad/undefined-variable.yml:8:20: environment.environments[0].nodes[0].address: undefined variable "host"',
  'undefined-variable-nested.yml':
    'bad/undefined-variable-nested.yml:7:14: platform[0].qemu.image: undefined variable "image_dir" (used by variable "image_path")',
  'secret-in-wrong-type.yml':
    'bad/secret-in-wrong-type.yml:5:14: concurrency: expected a number, found string "******"',
  'variable-self-reference.yml':
    'bad/variable-self-reference.yml:6:7: name: variable "a" refers to itself (a -> b -> a)',
  'include-cycle.yml':
    'bad/_parts/cycle-c.yml:2:5: include[0]: include cycle: bad/include-cycle.yml -> bad/_parts/cycle-b.yml -> bad/_parts/cycle-c.yml -> bad/include-cycle.yml',
  'include-self.yml':
    'bad/include-self.yml:5:5: include[0]: include cycle: bad/include-self.yml -> bad/include-self.yml',
  'include-missing.yml':
    'bad/include-missing.yml:2:5: include[0]: included runbook bad/_parts/does-not-exist.yml: file not found',
  'variable-file-missing.yml':
    'bad/variable-file-missing.yml:2:5: variable[0].file: variable file bad/_parts/no-such-vars.yml: file not found',
  'variable-entry-unknown-key.yml':
    'bad/variable-entry-unknown-key.yml:3:5: variable[0].valeu: unknown key "valeu"; did you mean "value"?',
  'variable-entry-not-mapping.yml':
    'bad/variable-entry-not-mapping.yml:2:5: variable[0]: expected a mapping, found string "image=debian"',
  'combinator-unknown-type.yml':
    'bad/combinator-unknown-type.yml:2:9: combinator.type: must be one of: grid, batch, pairwise, csv, git_bisect; found string "matrix"',
  'combinator-grid-value-not-list.yml':
    'bad/combinator-grid-value-not-list.yml:5:14: combinator.items[0].value: expected a list, found string "debian-12"',
  'combinator-batch-empty.yml': 'bad/combinator-batch-empty.yml:3:10: combinator.items: must have at least 1 entry',
  'remote-no-auth.yml':
    'bad/remote-no-auth.yml:4:11: environment.environments[0].nodes[0]: a remote node needs password, private_key_file or use_agent: true',
  'remote-missing-address.yml':
    'bad/remote-missing-address.yml:4:11: environment.environments[0].nodes[0]: missing required key "address"',
  'remote-bad-port.yml':
    'bad/remote-bad-port.yml:6:17: environment.environments[0].nodes[0].port: must be at most 65535, found integer 70000',
  'node-unknown-type.yml':
    'bad/node-unknown-type.yml:4:17: environment.environments[0].nodes[0].type: must be one of: remote, local, requirement; found string "remot"; did you mean "remote"?',
  'environment-typo.yml':
    'bad/environment-typo.yml:2:3: environment.enviroments: unknown key "enviroments"; did you mean "environments"?',
  'platform-unknown-type.yml':
    'bad/platform-unknown-type.yml:2:11: platform[0].type: unknown platform type "vmware"; known types: azure, baremetal, hyperv, qemu, ready (or a module path: ./plugins/my-platform.mts)',
  'platform-missing-type.yml': 'bad/platform-missing-type.yml:2:5: platform[0]: missing required key "type"',
  'platform-bad-keep-environment.yml':
    'bad/platform-bad-keep-environment.yml:3:23: platform[0].keep_environment: must be one of: no, always, failed; found string "sometimes"',
  'platform-other-section.yml':
    'bad/platform-other-section.yml:3:5: platform[0].qemu: unknown key "qemu"; a qemu section needs type: qemu',
  'qemu-unknown-option.yml':
    'bad/qemu-unknown-option.yml:5:7: platform[0].qemu.memroy_mb: unknown key "memroy_mb"; did you mean "memory_mb"?',
  'qemu-bad-accel.yml':
    'bad/qemu-bad-accel.yml:4:14: platform[0].qemu.accel: must be one of: auto, kvm, tcg; found string "hvf"',
  'qemu-cores-from-variable.yml':
    'bad/qemu-cores-from-variable.yml:7:14: platform[0].qemu.cores: expected a number, found string "many"',
  'notifier-missing-type.yml': 'bad/notifier-missing-type.yml:2:5: notifier[0]: missing required key "type"',
  'testcase-not-list.yml': 'bad/testcase-not-list.yml:2:3: testcase: expected a list, found a mapping',
  'error-in-included-file.yml':
    'bad/_parts/bad-timeout.yml:3:14: testcase[0].timeout: must be greater than 0, found integer 0',
  'times-fraction.yml': 'bad/times-fraction.yml:3:12: testcase[0].times: expected an integer, found number 1.5',
  'extension-number.yml':
    'bad/extension-number.yml:2:5: extension[0]: expected a string or a mapping, found integer 42',
  'two-errors.yml': [
    'bad/two-errors.yml:1:14: concurrency: must be greater than 0, found integer 0',
    'bad/two-errors.yml:4:12: testcase[0].retry: must be at least 0, found integer -1',
  ].join('\n'),
};

const badDir = path.join(runbooksDir, 'bad');

for (const [file, message] of Object.entries(expected)) {
  test(`bad runbook ${file}`, async () => {
    await assert.rejects(loadRunbook(`bad/${file}`, { cwd: runbooksDir, env: {} }), (err: unknown) => {
      assert.ok(err instanceof RunbookError, `expected a RunbookError, got ${String(err)}`);
      assert.equal(err.format(), message);
      return true;
    });
  });
}

test('every bad fixture has its expected message', () => {
  const files = readdirSync(badDir).filter((f) => f.endsWith('.yml'));
  assert.deepEqual(files.sort(), Object.keys(expected).sort());
  assert.ok(files.length >= 30);
});

test('a missing runbook file', async () => {
  await assert.rejects(loadRunbook('bad/nope.yml', { cwd: runbooksDir, env: {} }), (err: unknown) => {
    assert.ok(err instanceof RunbookError);
    assert.equal(err.format(), 'bad/nope.yml: runbook file not found');
    return true;
  });
});

test('errors outside the working directory show absolute paths', async () => {
  await assert.rejects(
    loadRunbook(path.join(badDir, 'concurrency-string.yml'), { cwd: '/nonexistent', env: {} }),
    (err: unknown) => {
      assert.ok(err instanceof RunbookError);
      assert.equal(
        err.format(),
        `${badDir}/concurrency-string.yml:1:14: concurrency: expected a number, found string "four"`,
      );
      return true;
    },
  );
});
