/** Reads events.jsonl back (for resume, merge and tools), tolerating a run that died mid-write. */
import { readFileSync } from 'node:fs';
import type { RunEvent } from './events.js';

/**
 * Every whole record of the file. A last line without its newline, or one that does not parse, is
 * a torn tail (the process was killed mid-write on an older version, or the disk filled) and is
 * skipped; a torn line anywhere else is real corruption and is reported with its line number.
 */
export function readEventsFile(file: string): { events: RunEvent[]; tornTail: boolean } {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  const events: RunEvent[] = [];
  let tornTail = last !== '';
  lines.forEach((line, i) => {
    if (line === '') return;
    try {
      events.push(JSON.parse(line) as RunEvent);
    } catch {
      if (i === lines.length - 1 && !tornTail) tornTail = true;
      else throw new Error(`${file}:${i + 1}: not a JSON record`);
    }
  });
  return { events, tornTail };
}
