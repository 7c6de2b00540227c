/**
 * Generators for hostile runbooks, one per class the loader guards against. Each writes its files
 * into `dir` and returns the runbook to check and the message the error must carry.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface HostileCase {
  name: string;
  /** Writes the files; returns the runbook path relative to `dir`. */
  make(dir: string): string;
  /** What the first error line must say after `error: FILE:LINE:COL: `. */
  expect: RegExp;
}

function write(dir: string, name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

/** Nine levels of nine aliases each: 9^9 (387 million) values once expanded. */
function billionLaughs(): string {
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i <= 9; i++) {
    const refs = Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ');
    lines.push(`a${i}: &a${i} [${refs}]`);
  }
  return `name: laughs\nvariable:\n  - name: bomb\n    value:\n${lines.map((l) => `      ${l}`).join('\n')}\n`;
}

export const HOSTILE: HostileCase[] = [
  {
    name: 'YAML alias bomb',
    make: (d) => write(d, 'laughs.yml', billionLaughs()),
    expect: /laughs\.yml:\d+:\d+: .*expands to more than 20000 values/,
  },
  {
    name: 'deep nesting',
    make: (d) => write(d, 'deep.yml', `name: deep\nx: ${'['.repeat(200)}${']'.repeat(200)}\n`),
    expect: /deep\.yml:\d+:\d+: .*nest deeper than 64 levels/,
  },
  {
    name: 'variable expansion bomb',
    make: (d) => {
      const vars = ['  - name: v0\n    value: xxxxxxxxxxxxxxxx'];
      for (let i = 1; i <= 12; i++) vars.push(`  - name: v${i}\n    value: "${`$(v${i - 1})`.repeat(10)}"`);
      return write(d, 'expand.yml', `name: expand\nvariable:\n${vars.join('\n')}\ntestcase:\n  - name: $(v12)\n`);
    },
    expect: /expand\.yml:\d+:\d+: testcase\[0\]\.name: expanding \$\(v\d+\).*longer than 1048576 characters/,
  },
  {
    name: 'astronomical grid',
    make: (d) => {
      const items = Array.from(
        { length: 40 },
        (_, i) => `    - name: v${i}\n      value: [a, b, c, d, e, f, g, h, i, j]`,
      );
      return write(d, 'grid.yml', `name: grid\ncombinator:\n  type: grid\n  items:\n${items.join('\n')}\n`);
    },
    expect: /grid\.yml:2:1: combinator: makes 1\.00e\+40 combinations; at most 10000 are allowed/,
  },
  {
    name: 'diamond of includes',
    make: (d) => {
      // Each level includes the next twice: 2^30 loads if includes were re-read.
      for (let i = 0; i < 30; i++) write(d, `d${i}.yml`, `include:\n  - ./d${i + 1}.yml\n  - ./d${i + 1}.yml\n`);
      write(d, 'd30.yml', 'concurrency: 1\n');
      return write(d, 'diamond.yml', 'name: diamond\ninclude:\n  - ./d0.yml\n  - ./d0.yml\nconcurrency: [1]\n');
    },
    // Loads in milliseconds; the (deliberate) type error proves the whole tree was read.
    expect: /diamond\.yml:5:14: concurrency: expected a number/,
  },
  {
    name: 'FIFO as include',
    make: (d) => {
      execFileSync('mkfifo', [join(d, 'fifo.yml')]);
      return write(d, 'fifo-main.yml', 'name: fifo\ninclude:\n  - ./fifo.yml\n');
    },
    expect: /fifo-main\.yml:3:5: include\[0\]: included runbook .*fifo\.yml: is not a regular file/,
  },
  {
    name: 'runbook too large',
    make: (d) => write(d, 'huge.yml', `name: huge\n# ${'x'.repeat(2 * 1024 * 1024)}\n`),
    expect: /huge\.yml: runbook is \d+ bytes; runbook files are limited to 1048576 bytes/,
  },
  {
    name: 'empty runbook',
    make: (d) => write(d, 'empty.yml', ''),
    expect: /empty\.yml: runbook is empty/,
  },
  {
    name: 'comment-only runbook',
    make: (d) => write(d, 'comments.yml', '# name: x\n\n   # platform: []\n'),
    expect: /comments\.yml: runbook is empty/,
  },
  {
    name: 'log_path under /proc',
    make: (d) => write(d, 'proc.yml', 'name: proc\nlog_path: /proc/self/lisa\n'),
    expect: /proc\.yml:2:1: log_path: .*kernel pseudo-filesystem/,
  },
  {
    name: 'log_path is a file',
    make: (d) => {
      write(d, 'afile', 'x');
      return write(d, 'logfile.yml', 'name: f\nlog_path: ./afile/runs\n');
    },
    expect: /logfile\.yml:2:1: log_path: .*afile is not a directory/,
  },
  {
    name: 'timeout beyond what a timer holds',
    make: (d) => write(d, 'timeout.yml', 'name: t\ntestcase:\n  - name: x\n    timeout: 9999999999\n'),
    expect: /timeout\.yml:4:14: testcase\[0\]\.timeout: must be at most 2147483\b/,
  },
  {
    name: 'absurd times',
    make: (d) => write(d, 'times.yml', 'name: t\ntestcase:\n  - name: x\n    times: 100000000\n'),
    expect: /times\.yml:4:12: testcase\[0\]\.times: /,
  },
  {
    name: 'missing private_key_file',
    make: (d) => {
      mkdirSync(join(d, 'keys'), { recursive: true });
      return write(
        d,
        'key.yml',
        'name: k\nenvironment:\n  environments:\n    - nodes:\n        - type: remote\n          address: 127.0.0.1\n          username: u\n          private_key_file: ./keys/none\n',
      );
    },
    expect: /key\.yml:8:11: environment\.environments\[0\]\.nodes\[0\]\.private_key_file: .*keys\/none: file not found/,
  },
];
