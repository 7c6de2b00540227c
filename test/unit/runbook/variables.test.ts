import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RunbookError } from '../../../src/runbook/errors.js';
import { loadRunbook } from '../../../src/runbook/load.js';
import { parseCliVariables, scalarFromText } from '../../../src/runbook/variables.js';
import { runbooksDir } from './fixtures.js';

const load = (cliVariables: string[], env: Record<string, string> = {}) =>
  loadRunbook('good/variables.yml', { cwd: runbooksDir, env, cliVariables: ['keep:no', ...cliVariables] });

test('precedence: -v beats LISA_<name> beats the runbook (later entry wins)', async () => {
  const cores = async (cli: string[], env: Record<string, string>) =>
    (await load(cli, env)).combinations[0]!.platform.options.cores;
  assert.equal(await cores([], {}), 3);
  assert.equal(await cores([], { LISA_cores: '5' }), 5);
  assert.equal(await cores(['cores:7'], { LISA_cores: '5' }), 7);
  const rb = (await load(['cores:7'], { LISA_cores: '5' })).combinations[0]!;
  assert.equal(rb.variables.cores!.source, 'cli');
  assert.equal((await load([], { LISA_cores: '5' })).combinations[0]!.variables.cores!.source, 'env:LISA_cores');
});

test('CLI and env values become numbers or booleans only when that loses nothing', async () => {
  const rb = (await load(['cores:4', 'warm:true', 'kernel:6.10'])).combinations[0]!;
  assert.equal(rb.platform.options.cores, 4);
  assert.equal(rb.platform.options.warm_start, true);
  assert.equal(rb.platform.options.append, 'console=ttyS0 kernel=6.10');
  assert.equal(rb.variables.kernel!.value, '6.10');
  assert.equal(scalarFromText('4'), 4);
  assert.equal(scalarFromText('-2.5'), -2.5);
  assert.equal(scalarFromText('false'), false);
  for (const text of ['6.10', '1e3', '0x10', 'yes', 'null', '', '007', 'a:b']) assert.equal(scalarFromText(text), text);
});

test('a string that is exactly $(name) keeps the type of the value; shell $(...) is left alone', async () => {
  const rb = (await load([])).combinations[0]!;
  assert.deepEqual(rb.testcase[0]!.criteria.tags, ['network', 'smoke']);
  assert.equal(rb.platform.options.warm_start, false);
  assert.equal(rb.notifier[0]!.options.note, '$(uname -r) is left alone');
  assert.equal(rb.notifier[0]!.options.url, 'https://example.test/hook?token=s3cr3t-token');
});

test('secrets: is_secret entries, -v s:, and declared-secret names set from outside', async () => {
  assert.deepEqual((await load([])).secrets, ['s3cr3t-token']);
  const viaCli = await load(['s:password:pa55word', 'token:from-cli']);
  assert.deepEqual(viaCli.secrets.sort(), ['from-cli', 'pa55word', 's3cr3t-token']);
  assert.equal(viaCli.combinations[0]!.variables.token!.isSecret, true);
  assert.equal(viaCli.combinations[0]!.variables.password!.isSecret, true);
  const viaEnv = await load([], { LISA_token: 'from-env' });
  assert.ok(viaEnv.secrets.includes('from-env'));
});

test('-v parsing', () => {
  assert.deepEqual(parseCliVariables(['url:http://x:8080/a', 's:pw:a:b']), [
    { name: 'url', value: 'http://x:8080/a', text: 'http://x:8080/a', isSecret: false, source: 'cli' },
    { name: 'pw', value: 'a:b', text: 'a:b', isSecret: true, source: 'cli' },
  ]);
  assert.deepEqual(
    parseCliVariables(['s:1']).map((d) => [d.name, d.value, d.isSecret]),
    [['s', 1, false]],
  );
  assert.throws(
    () => parseCliVariables(['s:bad name:hunter22']),
    (err: unknown) =>
      err instanceof RunbookError &&
      err.format() === '<command line>: -v s:bad name:******: expected name:value or s:name:value',
  );
  for (const bad of ['novalue', ':x', 'bad name:1']) {
    assert.throws(
      () => parseCliVariables([bad]),
      (err: unknown) =>
        err instanceof RunbookError &&
        err.format() === `<command line>: -v ${bad}: expected name:value or s:name:value`,
    );
  }
});
