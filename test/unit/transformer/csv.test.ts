import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCsv } from '../../../src/runbook/combinators/csv.js';

test('csv: quotes, doubled quotes, CRLF, embedded newlines and line numbers', () => {
  const rows = parseCsv('\ufeffa,b\r\n1,"x, y"\r\n"say ""hi""","two\nlines"\n\n3,\n');
  assert.deepEqual(
    rows.map((r) => [r.line, r.cells]),
    [
      [1, ['a', 'b']],
      [2, ['1', 'x, y']],
      [3, ['say "hi"', 'two\nlines']],
      [6, ['3', '']],
    ],
  );
  assert.throws(() => parseCsv('a\n"open\n'), /line 2: a quoted field is not closed/);
});
