import type { RunEvent } from '../results/events.js';
import { z } from 'zod';
import { reportPath } from './options.js';
import { ReportFile } from './report-file.js';
import { defineNotifier, type Notifier, type NotifierContext } from './types.js';

interface EnvStat {
  envId: string;
  platform: string;
  combination: string;
  nodes: { name: string; address?: string; os?: string; cores?: number; memoryMiB?: number }[];
  began: string;
  ended?: string;
  cases: number;
  failed: number;
  broken?: string;
}

/**
 * LISA's `env_stats` notifier: one record per environment (nodes, OS, size, when it was up, how
 * many cases ran and failed on it) in `environments.json`, rewritten as environments end.
 */
export class EnvStatsNotifier implements Notifier {
  readonly type = 'env_stats';
  readonly path: string;
  private readonly envs = new Map<string, EnvStat>();
  private readonly file: ReportFile;

  constructor(
    private readonly ctx: NotifierContext,
    options: { path?: string } = {},
  ) {
    this.path = reportPath(options.path, ctx.runDir, 'environments.json');
    this.file = new ReportFile(this.path, () => this.render(), ctx.log);
  }

  onEvent(e: RunEvent): void {
    if (e.type === 'env.begin') {
      const { envId, platform, combination, nodes } = e;
      this.envs.set(envId, {
        envId,
        platform,
        combination,
        nodes,
        began: new Date().toISOString(),
        cases: 0,
        failed: 0,
      });
    } else if (e.type === 'case.begin') {
      const s = this.envs.get(e.envId);
      if (s) s.cases++;
    } else if (e.type === 'case.end' && e.status === 'FAILED') {
      const s = [...this.envs.values()].reverse().find((x) => !x.ended);
      if (s) s.failed++;
    } else if (e.type === 'env.end') {
      const s = this.envs.get(e.envId);
      if (s) Object.assign(s, { ended: new Date().toISOString(), broken: e.broken });
      this.file.update();
    } else if (e.type === 'run.end') this.file.flush();
  }

  async finish(): Promise<void> {
    this.file.flush();
  }

  render(): string {
    return `${this.ctx.masker.mask(JSON.stringify({ environments: [...this.envs.values()] }, null, 2))}\n`;
  }
}

export const envStatsNotifier = defineNotifier({
  type: 'env_stats',
  schema: z.strictObject({
    path: z.string().min(1).optional().describe('Report file; default <run dir>/environments.json'),
  }),
  create: (options, ctx) => new EnvStatsNotifier(ctx, options),
});
