import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importModule, loadErrorDetail } from '../plugins/import.js';
import type { Priority, TestCaseInfo, TestSuiteDefinition } from './types.js';

const DEFAULT_TIMEOUT_MS = 3_600_000;
const DEFAULT_PRIORITY: Priority = 2;

/** Where the built-in suites live once compiled (dist/testsuites). */
export function builtinSuiteDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../testsuites');
}

/** A problem loading suites: names the file, never a stack trace. */
export class SuiteLoadError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'SuiteLoadError';
  }
}

/** Exported values, looking through the `default` wrapper that CommonJS interop adds. */
function exportedValues(mod: Record<string, unknown>): unknown[] {
  const values = Object.values(mod);
  const d = mod.default as Record<string, unknown> | undefined;
  if (d && typeof d === 'object' && !isSuite(d)) values.push(...Object.values(d));
  return values;
}

function listModules(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...listModules(p));
    else if (/\.(m?js|[mc]?ts)$/.test(entry) && !/\.d\.[mc]?ts$|\.test\.|\.map$/.test(entry)) out.push(p);
  }
  return out;
}

function isSuite(value: unknown): value is TestSuiteDefinition {
  const v = value as TestSuiteDefinition;
  return (
    !!v && typeof v === 'object' && typeof v.name === 'string' && typeof v.area === 'string' && Array.isArray(v.cases)
  );
}

/** Loads every suite exported by the modules below the given directories. */
export async function loadSuites(dirs: string[]): Promise<TestCaseInfo[]> {
  const cases: TestCaseInfo[] = [];
  const seen = new Map<string, string>();
  for (const dir of dirs) {
    if (!existsSync(dir)) throw new SuiteLoadError(dir, 'test suite directory does not exist');
    for (const file of listModules(dir)) {
      let mod: Record<string, unknown>;
      try {
        mod = await importModule(file);
      } catch (e) {
        throw new SuiteLoadError(file, `cannot load: ${loadErrorDetail(e)}`);
      }
      const suites = new Set(exportedValues(mod).filter(isSuite));
      for (const suite of suites) {
        for (const c of expandSuite(suite, file)) {
          const prev = seen.get(c.id);
          if (prev) throw new SuiteLoadError(file, `case ${c.id} is also defined in ${prev}`);
          seen.set(c.id, file);
          cases.push(c);
        }
      }
    }
  }
  return cases;
}

export function expandSuite(suite: TestSuiteDefinition, source: string): TestCaseInfo[] {
  return suite.cases.map((def) => {
    if (typeof def.run !== 'function')
      throw new SuiteLoadError(source, `case ${suite.name}.${def.name} has no run() function`);
    return {
      id: `${suite.name}.${def.name}`,
      name: def.name,
      suite: suite.name,
      area: suite.area,
      category: suite.category ?? 'functional',
      description: def.description ?? '',
      priority: def.priority ?? DEFAULT_PRIORITY,
      timeoutMs: def.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      tags: [...new Set([...(suite.tags ?? []), ...(def.tags ?? [])])],
      owner: suite.owner ?? '',
      maturity: def.maturity ?? suite.maturity ?? 'stable',
      requirement: { ...suite.requirement, ...def.requirement },
      source,
      definition: def,
      suiteDefinition: suite,
    };
  });
}
