/**
 * Drives `git bisect` in a private mirror of the repository (the user's clone is never touched):
 * each verdict marks the commit under test until git names the first bad commit.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Logger } from '../logging/logger.js';

const exec = promisify(execFile);

export type BisectVerdict = 'good' | 'bad' | 'skip';

export interface BisectState {
  /** The commit to test next, or undefined when done. */
  current?: string;
  /** Set when git has named the first bad commit. */
  firstBad?: string;
  /** git's own words, e.g. `abc is the first bad commit` or `Bisecting: 3 revisions left`. */
  summary: string;
  remaining?: number;
}

export class GitBisect {
  private constructor(
    private readonly gitDir: string,
    private readonly log: Logger,
  ) {}

  static async start(
    repo: string,
    good: string,
    bad: string,
    gitDir: string,
    log: Logger,
  ): Promise<{ bisect: GitBisect; state: BisectState }> {
    log.info(`git_bisect: mirroring ${repo}`);
    await git(['clone', '--quiet', '--mirror', repo, gitDir], log);
    const b = new GitBisect(gitDir, log);
    const [goodSha, badSha] = [await b.resolve(good, 'good_commit'), await b.resolve(bad, 'bad_commit')];
    const out = await b.git(['bisect', 'start', '--no-checkout', badSha, goodSha]);
    return { bisect: b, state: await b.state(out) };
  }

  async mark(verdict: BisectVerdict): Promise<BisectState> {
    return this.state(await this.git(['bisect', verdict]));
  }

  /** The whole trail as git records it. */
  async trail(): Promise<string> {
    return (await this.git(['bisect', 'log'])).trim();
  }

  async subject(sha: string): Promise<string> {
    return (await this.git(['log', '-1', '--format=%h %s', sha])).trim();
  }

  private async resolve(ref: string, key: string): Promise<string> {
    try {
      return (await this.git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim();
    } catch {
      throw new Error(`git_bisect ${key}: "${ref}" is not a commit of the repository`);
    }
  }

  private async state(out: string): Promise<BisectState> {
    const first = /^([0-9a-f]{40}) is the first bad commit/m.exec(out);
    if (first) return { firstBad: first[1], summary: out.trim().split('\n')[0]! };
    if (/only skipped commits left to test|There are only 'skip'ped commits/i.test(out)) {
      return { summary: out.trim().split('\n')[0]! };
    }
    const left = /Bisecting: (\d+) revisions? left/.exec(out);
    const current = (await this.git(['rev-parse', 'BISECT_HEAD'])).trim();
    return { current, remaining: left ? Number(left[1]) : undefined, summary: out.trim().split('\n')[0] ?? '' };
  }

  private git(args: string[]): Promise<string> {
    return git(['--git-dir', this.gitDir, ...args], this.log);
  }
}

async function git(args: string[], log: Logger): Promise<string> {
  log.debug(`git ${args.join(' ')}`);
  try {
    const r = await exec('git', args, {
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    });
    return r.stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`git ${args.join(' ')} failed: ${(err.stderr || err.message).trim()}`);
  }
}
