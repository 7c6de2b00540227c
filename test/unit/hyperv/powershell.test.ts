import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { steps } from '../../../src/platform/hyperv/cmdlets.js';
import { encodedCommand, psQuote } from '../../../src/platform/hyperv/powershell.js';

/** How PowerShell reads a single-quoted literal: everything literal, '' (and typographic quotes doubled) is one quote. */
function psUnquote(literal: string): string {
  assert.match(literal, /^'.*'$/s);
  const body = literal.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (/['\u2018\u2019\u201a\u201b]/.test(ch)) {
      assert.ok(/['\u2018\u2019\u201a\u201b]/.test(body[i + 1] ?? ''), `unescaped quote at ${i} in ${literal}`);
      i++;
    }
    out += ch;
  }
  return out;
}

describe('PowerShell quoting', () => {
  const hostile = [
    "vm'; Remove-Item -Recurse C:\\ ; '",
    'name with $env:USERNAME and $(Get-Date)',
    'back`tick`n and `$x',
    'semi;colon|pipe&amp>redirect',
    'typographic \u2018quote\u2019 and \u201alow\u201b',
    'new\nline and \r\n',
    '"double" quotes',
    '',
  ];

  it('round-trips hostile names through PowerShell single-quote rules', () => {
    for (const h of hostile) assert.equal(psUnquote(psQuote(h)), h, h);
  });

  it('refuses NUL', () => {
    assert.throws(() => psQuote('a\0b'), /NUL/);
  });

  it('quotes every value of every step', () => {
    const evil = "x'$`;y";
    const script = steps.newVm({
      name: evil,
      dir: `C:\\lisa\\${evil}`,
      vhd: `C:\\lisa\\${evil}.vhdx`,
      generation: 2,
      memoryMiB: 2048,
      cores: 2,
      switchName: evil,
      pipe: evil,
    });
    assert.ok(!script.includes(`${evil} `) && !script.includes(` ${evil}`), script);
    assert.ok(script.includes("'x''$`;y'"), script);
  });

  it('encodes the script as UTF-16LE base64 for -EncodedCommand', () => {
    const cmd = encodedCommand("Start-VM -Name 'a'");
    const b64 = cmd.split(' ').at(-1)!;
    assert.equal(Buffer.from(b64, 'base64').toString('utf16le'), "Start-VM -Name 'a'");
    assert.match(cmd, /^powershell -NoLogo -NoProfile -NonInteractive -EncodedCommand [A-Za-z0-9+/=]+$/);
  });
});
