/**
 * Runs the transformers of one phase in dependency order, records each in the event stream, and
 * turns their outputs into variables. A failure is kept so that the cases it guards fail naming it.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FileSink, type Logger } from '../logging/logger.js';
import { LocalNode } from '../node/local-node.js';
import type { Node } from '../node/types.js';
import type { Environment } from '../platform/types.js';
import type { EventBus } from '../results/event-bus.js';
import type { TransformerRef } from '../results/events.js';
import { safeName } from '../results/run-dir.js';
import { RunbookError } from '../runbook/errors.js';
import type { TransformerEntry } from './plan.js';
import { transformerType } from './registry.js';
import { optionsOf } from './schema.js';
import type { TransformerPhase } from './types.js';

export interface TransformerFailure {
  name: string;
  type: string;
  phase: TransformerPhase;
  /** `transformer "x" (script, expanded) failed: reason (log: path)` */
  message: string;
  logPath?: string;
}

export interface TransformerRunnerOptions {
  entries: readonly TransformerEntry[];
  /** The entry at `index` with variables resolved, as plain data (throws RunbookError). */
  resolveEntry(index: number, variables: Record<string, unknown>): Record<string, unknown>;
  runRoot: string;
  baseDir: string;
  log: Logger;
  bus: EventBus;
  signal: AbortSignal;
}

/** Where a phase runs: failures of enclosing phases are visible to the dependents inside. */
export interface TransformerScope {
  combination?: string;
  envId?: string;
  nodes?: readonly Node[];
  environment?: Environment;
  failures: Map<string, TransformerFailure>;
}

export interface PhaseOutcome {
  /** New variables (output names → values) from this phase. */
  variables: Record<string, unknown>;
  /** The first failure that guards what follows (from this phase or an enclosing one). */
  failure?: TransformerFailure;
}

export class TransformerRunner {
  private failedCount = 0;

  constructor(private readonly o: TransformerRunnerOptions) {}

  get failed(): number {
    return this.failedCount;
  }

  has(phase: TransformerPhase): boolean {
    return this.o.entries.some((e) => e.phase === phase);
  }

  async runPhase(
    phase: TransformerPhase,
    variables: Record<string, unknown>,
    scope: TransformerScope,
  ): Promise<PhaseOutcome> {
    const produced: Record<string, unknown> = {};
    let failure: TransformerFailure | undefined = [...scope.failures.values()][0];
    for (const entry of this.o.entries.filter((e) => e.phase === phase)) {
      if (this.o.signal.aborted && phase !== 'cleanup') break;
      const ref: TransformerRef = {
        name: entry.name,
        type: entry.type,
        phase,
        combination: scope.combination,
        envId: scope.envId,
      };
      const failedDep = entry.dependsOn.map((d) => scope.failures.get(d)).find((f) => f);
      if (failedDep) {
        scope.failures.set(entry.name, failedDep);
        this.end(ref, 'SKIPPED', `not run: it depends on "${failedDep.name}", which failed`, {}, 0);
        continue;
      }
      const result = await this.runOne(entry, ref, { ...variables, ...produced }, scope);
      if ('failure' in result) {
        scope.failures.set(entry.name, result.failure);
        failure ??= result.failure;
      } else Object.assign(produced, result.variables);
    }
    return { variables: produced, failure };
  }

  private async runOne(
    entry: TransformerEntry,
    ref: TransformerRef,
    variables: Record<string, unknown>,
    scope: TransformerScope,
  ): Promise<{ variables: Record<string, unknown> } | { failure: TransformerFailure }> {
    const started = Date.now();
    let resolved: Record<string, unknown>;
    try {
      resolved = this.o.resolveEntry(entry.index, variables);
    } catch (e) {
      const reason = e instanceof RunbookError ? e.format() : (e as Error).message;
      return { failure: this.fail(ref, `its options are invalid: ${reason}`, undefined, started) };
    }
    if (resolved.enabled === false) {
      this.end(ref, 'SKIPPED', 'disabled (enabled: false)', {}, 0);
      return { variables: {} };
    }
    const dir = join(this.o.runRoot, 'transformers');
    mkdirSync(dir, { recursive: true });
    const label = [ref.phase, ref.combination, ref.envId, entry.name].filter(Boolean).join('-');
    const logPath = join(dir, `${safeName(label)}.log`);
    const workDir = join(dir, safeName(label));
    mkdirSync(workDir, { recursive: true });
    const sink = new FileSink(logPath);
    const log = this.o.log.child(`transformer:${entry.name}`, [sink]);
    this.o.bus.emit({ type: 'transformer.begin', transformer: ref, logPath });
    log.info(`${entry.type} (${ref.phase}${ref.envId ? ` on ${ref.envId}` : ''}) starts`);
    try {
      const t = transformerType(entry.type)!;
      const options = t.schema.parse(optionsOf(resolved));
      const host = new LocalNode({ name: 'host', log });
      const ctx = { name: entry.name, phase: ref.phase, log, logPath, workDir, baseDir: this.o.baseDir };
      const outputs = await t.run(options, {
        ...ctx,
        variables,
        nodes: scope.nodes ?? [],
        environment: scope.environment,
        host,
        signal: this.o.signal,
      });
      const named: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(outputs)) {
        named[entry.variableOf[key] ?? (entry.prefix ? `${entry.prefix}_${key}` : key)] = value;
      }
      for (const [k, v] of Object.entries(named))
        log.info(`output ${k} = ${typeof v === 'string' ? v : JSON.stringify(v)}`);
      this.end(ref, 'PASSED', '', named, Date.now() - started, logPath);
      return { variables: named };
    } catch (e) {
      log.error((e as Error).message);
      return { failure: this.fail(ref, (e as Error).message, logPath, started) };
    } finally {
      sink.close();
    }
  }

  private fail(ref: TransformerRef, reason: string, logPath: string | undefined, started: number): TransformerFailure {
    this.failedCount++;
    const message = `transformer "${ref.name}" (${ref.type}, ${ref.phase}) failed: ${reason}${logPath ? ` (log: ${logPath})` : ''}`;
    this.o.log.error(message);
    this.end(ref, 'FAILED', reason, {}, Date.now() - started, logPath);
    return { name: ref.name, type: ref.type, phase: ref.phase, message, logPath };
  }

  private end(
    ref: TransformerRef,
    status: 'PASSED' | 'FAILED' | 'SKIPPED',
    message: string,
    outputs: Record<string, unknown>,
    durationMs: number,
    logPath?: string,
  ): void {
    this.o.bus.emit({ type: 'transformer.end', transformer: ref, status, message, outputs, durationMs, logPath });
  }
}
