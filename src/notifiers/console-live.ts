import { formatDuration } from './format.js';

/** What the status area shows; the console notifier keeps it current from the events. */
export interface LiveState {
  total: number;
  done: number;
  passed: number;
  failed: number;
  skipped: number;
  attempted: number;
  unfinished: number;
  /** When the first case started here, and how many were done then (a resumed run's replayed part). */
  firstCaseAt?: number;
  doneAtFirstCase?: number;
  startedAt: number;
  /** Environment id → what it is doing, in the order environments came up. */
  environments: Map<string, { label: string; case?: string; since: number }>;
}

export interface LiveTerminal {
  write(text: string): unknown;
  columns?: number;
}

const MAX_ENV_LINES = 6;
const REDRAW_MS = 100;
const TICK_MS = 1000;
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * The status block at the bottom of a terminal: redrawn in place (at most every 100 ms, and once a
 * second for the clock), with lines that must stay (failures, environments) printed above it.
 * Everything is written in one call per change, so the block never flickers half-drawn.
 */
export class LiveStatus {
  private drawn = 0;
  private lastDraw = 0;
  private pending: NodeJS.Timeout | undefined;
  private readonly ticker: NodeJS.Timeout;
  private frame = 0;
  private stopped = false;

  constructor(
    private readonly out: LiveTerminal,
    private readonly state: LiveState,
    private readonly paint: (style: 'green' | 'red' | 'yellow' | 'magenta' | 'dim' | 'bold', text: string) => string,
    private readonly now: () => number = Date.now,
  ) {
    // Never keeps the process alive: the run decides when lisa exits.
    this.ticker = setInterval(() => this.draw(), TICK_MS).unref();
  }

  /** Lines that stay on screen, printed above the status block. */
  print(lines: string[]): void {
    if (this.stopped) {
      this.out.write(lines.map((l) => `${l}\n`).join(''));
      return;
    }
    this.draw(lines);
  }

  /** The state changed: redraw soon, not on every one of 10,000 events. */
  changed(): void {
    if (this.stopped || this.pending) return;
    const wait = this.lastDraw + REDRAW_MS - this.now();
    if (wait <= 0) this.draw();
    else this.pending = setTimeout(() => this.draw(), wait).unref();
  }

  /** Removes the block for good; later lines are plain. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.ticker);
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
    if (this.drawn) this.out.write(this.erase());
    this.drawn = 0;
  }

  private draw(above: string[] = []): void {
    if (this.stopped) return;
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
    this.lastDraw = this.now();
    this.frame++;
    const block = this.block();
    this.out.write(this.erase() + above.map((l) => `${l}\n`).join('') + block.map((l) => `${l}\n`).join(''));
    this.drawn = block.length;
  }

  /** Cursor to the start of the block's first line, then clear to the end of the screen. */
  private erase(): string {
    return this.drawn ? `\u001b[${this.drawn}F\u001b[J` : '';
  }

  private block(): string[] {
    const s = this.state;
    const now = this.now();
    const width = Math.max(20, (this.out.columns || 80) - 1);
    const counts = [
      this.paint('green', `${s.passed} passed`),
      s.failed ? this.paint('red', `${s.failed} failed`) : '',
      s.skipped ? this.paint('yellow', `${s.skipped} skipped`) : '',
      s.attempted ? this.paint('magenta', `${s.attempted} attempted`) : '',
      s.unfinished ? this.paint('yellow', `${s.unfinished} unfinished`) : '',
    ].filter(Boolean);
    const running = [...s.environments.values()].filter((e) => e.case).length;
    const spin = SPINNER[this.frame % SPINNER.length];
    const elapsed = formatDuration(now - s.startedAt);
    const head =
      s.total === 0
        ? `${spin} starting · ${elapsed}`
        : `${spin} ${this.paint('bold', `${s.done}/${s.total}`)} done${running ? `, ${running} running` : ''}` +
          ` · ${counts.join(', ')} · ${elapsed}${eta(s, now)}`;
    const lines = [head];
    const envs = [...s.environments.entries()];
    for (const [id, e] of envs.slice(0, MAX_ENV_LINES)) {
      const doing = e.case ? `running ${e.case} (${formatDuration(now - e.since)})` : 'between cases';
      lines.push(this.paint('dim', `  ${id}${e.label}: `) + doing);
    }
    if (envs.length > MAX_ENV_LINES)
      lines.push(this.paint('dim', `  … ${envs.length - MAX_ENV_LINES} more environments`));
    // A line wider than the terminal wraps, and the erase would then leave its first half behind.
    return lines.map((l) => clip(l, width));
  }
}

function eta(s: LiveState, now: number): string {
  const left = s.total - s.done;
  const doneHere = s.done - (s.doneAtFirstCase ?? 0);
  if (s.firstCaseAt === undefined || doneHere <= 0 || left <= 0) return '';
  const perCase = (now - s.firstCaseAt) / doneHere;
  return ` · ETA ${formatDuration(perCase * left)}`;
}

/** Cuts a line to `width` visible characters, keeping colour codes whole and resetting at the cut. */
export function clip(line: string, width: number): string {
  let visible = 0;
  let out = '';
  // eslint-disable-next-line no-control-regex -- colour codes are zero-width and must not be split
  for (const part of line.split(/(\u001b\[[0-9;]*m)/)) {
    if (part.startsWith('\u001b[')) {
      out += part;
      continue;
    }
    const room = width - visible;
    const chars = [...part];
    if (chars.length > room) {
      const reset = line.includes('\u001b[') ? '\u001b[0m' : '';
      return `${out}${chars.slice(0, Math.max(0, room - 1)).join('')}…${reset}`;
    }
    out += part;
    visible += chars.length;
  }
  return out;
}
