import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Logger, MemorySink } from '../../src/logging/logger.js';
import { SecretMasker } from '../../src/logging/secrets.js';
import { LocalNode } from '../../src/node/local-node.js';
import { CaseNode } from '../../src/orchestrator/case-node.js';

const SECRET = 'S3cr3t-Cut-Me-Not-0123456789';

test('output cut at the length limit never leaves a partial secret in the case log', async () => {
  const masker = new SecretMasker();
  masker.add(SECRET);
  const sink = new MemorySink();
  const log = new Logger('case', [sink], masker);
  const node = new CaseNode(new LocalNode({ log }), log, new AbortController().signal);
  // The secret straddles the 20,000-character cut at every offset of its first half.
  for (const before of [19_990, 19_995, 19_999]) {
    await node.execute(
      `head -c ${before} /dev/zero | tr '\\0' x; printf '%s\\n' '${SECRET}'; head -c 30000 /dev/zero | tr '\\0' y`,
    );
  }
  const text = sink.lines.join('\n');
  assert.match(text, /more characters\)/, 'the output was cut');
  for (let n = 6; n <= SECRET.length; n++) {
    assert.ok(!text.includes(SECRET.slice(0, n)), `a ${n}-character prefix of the secret is in the log`);
  }
});
