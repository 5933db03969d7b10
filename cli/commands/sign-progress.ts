/**
 * Progress of a long pass on stderr: a redrawn bar with rate and ETA on a terminal, plain
 * periodic lines otherwise (log files, CI), so output stays readable either way. Used by `sign
 * backfill|resign`, and (with `onlyPastInterval`) by `lifecycle run` and `dlq replay`, whose work
 * is mostly short and whose summary on stdout already says how it ended.
 */
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { terminalLine } from '../../core/terminal-text.js';

export interface ProgressOptions {
  /** @defaultValue `process.stderr` */
  stream?: NodeJS.WriteStream;
  /** Seconds between plain lines when not a terminal; 0 writes one at every step. @defaultValue 5 */
  intervalSeconds?: number;
  /** Unix ms. @defaultValue `Date.now` */
  clock?: () => number;
  /**
   * Nothing is shown until the first interval has passed, on a terminal too, and `finish` writes
   * nothing when nothing was shown (work that ends within it leaves stderr as it was), nor a plain
   * line that repeats the count of the last one.
   * @defaultValue false
   */
  onlyPastInterval?: boolean;
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export class SignProgress {
  readonly #stream: NodeJS.WriteStream;
  readonly #tty: boolean;
  readonly #intervalMs: number;
  readonly #clock: () => number;
  readonly #label: string;
  /** Undefined when not known ahead (pages read until one comes back short): no bar, no ETA. */
  readonly #total: number | undefined;
  readonly #started: number;
  readonly #onlyPastInterval: boolean;
  #done = 0;
  #lastDraw = 0;
  #shown = false;
  /** The count the last plain line showed: with `onlyPastInterval`, not written twice at the end. */
  #plainDone: number | undefined;

  constructor(label: string, total: number | undefined, options: ProgressOptions = {}) {
    this.#stream = options.stream ?? process.stderr;
    this.#tty = Boolean(this.#stream.isTTY);
    this.#intervalMs = (options.intervalSeconds ?? 5) * 1000;
    this.#clock = options.clock ?? Date.now;
    this.#onlyPastInterval = options.onlyPastInterval ?? false;
    this.#label = label;
    this.#total = total;
    this.#started = this.#clock();
    this.#lastDraw = this.#started;
  }

  #line(): string {
    const elapsed = Math.max(0.001, (this.#clock() - this.#started) / 1000);
    const rate = this.#done / elapsed;
    if (this.#total === undefined) return `${this.#label}: ${this.#done} ${Math.round(rate)}/s`;
    const eta = rate > 0 ? (this.#total - this.#done) / rate : Number.POSITIVE_INFINITY;
    const pct = this.#total > 0 ? Math.min(100, (this.#done / this.#total) * 100) : 100;
    return `${this.#label}: ${this.#done}/${this.#total} (${pct.toFixed(1)}%) ${Math.round(rate)}/s ETA ${duration(eta)}`;
  }

  add(count: number): void {
    this.#done += count;
    const now = this.#clock();
    if (this.#onlyPastInterval && !this.#shown && now - this.#started < this.#intervalMs) return;
    if (this.#tty) {
      const complete = this.#total !== undefined && this.#done >= this.#total;
      if (now - this.#lastDraw < 100 && !complete) return;
      if (this.#total === undefined) this.#stream.write(`\r\x1b[2K${this.#line()}`);
      else {
        const width = 30;
        const filled = this.#total > 0 ? Math.round((this.#done / this.#total) * width) : width;
        const bar = `[${'#'.repeat(Math.min(width, filled))}${'-'.repeat(Math.max(0, width - filled))}]`;
        this.#stream.write(`\r\x1b[2K${bar} ${this.#line()}`);
      }
    } else {
      if (now - this.#lastDraw < this.#intervalMs) return;
      this.#stream.write(`${this.#line()}\n`);
      this.#plainDone = this.#done;
    }
    this.#shown = true;
    this.#lastDraw = now;
  }

  /** Sets the count done so far (a count read back, not an increment). */
  set(done: number): void {
    this.add(done - this.#done);
  }

  finish(): void {
    if (this.#onlyPastInterval && (!this.#shown || (!this.#tty && this.#plainDone === this.#done))) return;
    if (this.#tty) this.#stream.write(`\r\x1b[2K${this.#line()}\n`);
    else this.#stream.write(`${this.#line()}\n`);
  }
}

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
