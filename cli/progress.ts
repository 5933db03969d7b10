/**
 * Progress of a long command on stderr, for every command that shows one (docs/operations.md,
 * "Progress"). stdout is never touched: it belongs to results and `--json`.
 *
 * `ProgressLine` decides when and how a line is written, the same for every command:
 * - on a terminal one line is rewritten in place, at most every 100 ms; otherwise (CI, a log file,
 *   `| tee`) a plain line at most every interval (`--progress-interval`, default 5 s; 0: at every
 *   step), so logs stay readable and small. The first line comes one such interval after the start,
 *   when a rate means something; a step marked final is written at once;
 * - `onlyPastInterval`: nothing at all until the first interval has passed, on a terminal too, so
 *   work that is mostly short leaves stderr as it was;
 * - `silent` (a command's `--json`): nothing;
 * - `end` closes the rewritten line, or writes the last plain line unless it repeats the one before.
 *
 * `Progress` counts on it: `label: done/total (pct%) rate/s ETA 1m05s` (with a bar on a terminal),
 * or `label: done rate/s` when the total is not known ahead. Commands whose line holds more than
 * one count (`run`, `demo`) write their own text through a `ProgressLine`.
 */
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { terminalLine } from '../core/terminal-text.js';

/** Where progress lines go: stderr, or what a test collects them in. */
export interface ProgressStream {
  write(text: string): unknown;
  /** A terminal: one line rewritten in place. */
  isTTY?: boolean;
}

export interface ProgressOptions {
  /** Where lines go. @defaultValue `process.stderr` */
  stream?: ProgressStream;
  /** Seconds between plain lines when not a terminal, and before the first; 0: at every step. @defaultValue 5 */
  intervalSeconds?: number;
  /** Least time between two lines rewritten on a terminal, ms. @defaultValue 100 */
  terminalIntervalMs?: number;
  /** Unix ms, for tests. @defaultValue `Date.now` */
  clock?: () => number;
  /**
   * Nothing is shown until the first interval has passed, on a terminal too, and `end` writes
   * nothing when nothing was shown.
   * @defaultValue false
   */
  onlyPastInterval?: boolean;
  /** Plain lines even on a terminal: for a command that writes its results to stdout meanwhile. @defaultValue false */
  plain?: boolean;
  /** Nothing is written (a command's `--json`). @defaultValue false */
  silent?: boolean;
}

/** When and how a progress line is written; the text is the caller's. */
export class ProgressLine {
  readonly #stream: ProgressStream;
  /** Whether lines are rewritten in place (a terminal), not appended. */
  readonly terminal: boolean;
  readonly #intervalMs: number;
  readonly #terminalIntervalMs: number;
  readonly #clock: () => number;
  readonly #onlyPastInterval: boolean;
  readonly #silent: boolean;
  readonly started: number;
  #lastDraw: number;
  #shown = false;
  /** A line rewritten on the terminal and not yet ended. */
  #open = false;
  /** What the last plain line showed (its `same` key): `end` does not write it twice. */
  #plainSame: string | undefined;

  constructor(options: ProgressOptions = {}) {
    const stream = options.stream ?? process.stderr;
    this.#stream = stream;
    this.terminal = Boolean(stream.isTTY) && !options.plain;
    this.#intervalMs = (options.intervalSeconds ?? 5) * 1000;
    this.#terminalIntervalMs = options.terminalIntervalMs ?? 100;
    this.#clock = options.clock ?? Date.now;
    this.#onlyPastInterval = options.onlyPastInterval ?? false;
    this.#silent = options.silent ?? false;
    this.started = this.#clock();
    this.#lastDraw = this.started;
  }

  now(): number {
    return this.#clock();
  }

  /** Whether `show` would write now: callers skip building a line that would not be. */
  due(final = false): boolean {
    if (this.#silent) return false;
    const now = this.#clock();
    if (this.#onlyPastInterval && !this.#shown && now - this.started < this.#intervalMs) return false;
    if (final) return true;
    return now - this.#lastDraw >= (this.terminal ? this.#terminalIntervalMs : this.#intervalMs);
  }

  /**
   * Shows `text` if a line is due (`final`: the last of a step, at once). `same`: what the line
   * counts, so `end` does not repeat a plain line that showed it.
   */
  show(text: string, options: { final?: boolean; same?: string } = {}): void {
    if (!this.due(options.final)) return;
    if (this.terminal) {
      this.#stream.write(`\r\x1b[2K${text}`);
      this.#open = true;
    } else {
      this.#stream.write(`${text}\n`);
      this.#plainSame = options.same;
    }
    this.#shown = true;
    this.#lastDraw = this.#clock();
  }

  /**
   * Ends the progress: on a terminal the line rewritten (with `text` when given) is closed; a plain
   * `text` is written unless the last plain line showed the same (`same`).
   */
  end(text?: string, same?: string): void {
    if (this.#silent || (this.#onlyPastInterval && !this.#shown)) return;
    if (this.terminal) {
      if (text !== undefined) this.#stream.write(`\r\x1b[2K${text}\n`);
      else if (this.#open) this.#stream.write('\n');
      this.#open = false;
      return;
    }
    if (text === undefined || (same !== undefined && same === this.#plainSame)) return;
    this.#stream.write(`${text}\n`);
    this.#plainSame = same;
  }
}

/** A count of work done, against a total when one is known ahead. */
export class Progress {
  readonly #line: ProgressLine;
  readonly #label: string;
  /** Undefined when not known ahead (pages read until one comes back short): no bar, no ETA. */
  #total: number | undefined;
  #done = 0;

  constructor(label: string, total: number | undefined, options: ProgressOptions = {}) {
    this.#line = new ProgressLine(options);
    this.#label = label;
    this.#total = total;
  }

  #text(): string {
    const elapsed = Math.max(0.001, (this.#line.now() - this.#line.started) / 1000);
    const rate = this.#done / elapsed;
    const total = this.#total;
    if (total === undefined) return `${this.#label}: ${this.#done} ${Math.round(rate)}/s`;
    const eta = rate > 0 ? (total - this.#done) / rate : Number.POSITIVE_INFINITY;
    const pct = total > 0 ? Math.min(100, (this.#done / total) * 100) : 100;
    return `${this.#label}: ${this.#done}/${total} (${pct.toFixed(1)}%) ${Math.round(rate)}/s ETA ${formatDuration(eta)}`;
  }

  /** Adds `count` to the work done. */
  add(count: number): void {
    this.#done += count;
    const final = this.#total !== undefined && this.#done >= this.#total;
    if (!this.#line.due(final)) return;
    const text = this.#text();
    this.#line.show(this.#line.terminal && this.#total !== undefined ? `${this.#bar()} ${text}` : text, {
      final,
      same: String(this.#done),
    });
  }

  /** Sets the count done so far (a count read back, not an increment). */
  set(done: number): void {
    this.add(done - this.#done);
  }

  /** Changes the total once it becomes known. */
  setTotal(total: number): void {
    this.#total = total;
  }

  /** Writes the final line (not when it repeats the last plain one). */
  finish(): void {
    this.#line.end(this.#text(), String(this.#done));
  }

  #bar(): string {
    const width = 30;
    const total = this.#total ?? 0;
    const filled = total > 0 ? Math.round((this.#done / total) * width) : width;
    return `[${'#'.repeat(Math.min(width, filled))}${'-'.repeat(Math.max(0, width - filled))}]`;
  }
}

/** `42s`, `3m05s`, `2h07m`; `?` for a time not known (nothing done yet). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The help of `--progress-interval <seconds>`, one wording for every command that takes it. */
export const PROGRESS_INTERVAL_HELP =
  'seconds between progress lines when not a terminal, and before the first one (default 5; 0: at every step)';

/** `--progress-interval <seconds>`: a whole number of seconds, 0 for a line at every step. */
export function progressIntervalSeconds(command: string, value: string | undefined): number {
  if (value === undefined) return 5;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `${command}: expected \`--progress-interval\` to be a whole number of seconds, 0 or more, got \`${terminalLine(value)}\``,
    );
  }
  return n;
}
