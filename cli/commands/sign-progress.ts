/**
 * Progress of a long signing pass on stderr: a redrawn bar with rate and ETA on a terminal,
 * plain periodic lines otherwise (log files, CI), so output stays readable either way.
 */

export interface ProgressOptions {
  /** @defaultValue `process.stderr` */
  stream?: NodeJS.WriteStream;
  /** Seconds between plain lines when not a terminal. @defaultValue 5 */
  intervalSeconds?: number;
  /** Unix ms. @defaultValue `Date.now` */
  clock?: () => number;
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
  readonly #total: number;
  readonly #started: number;
  #done = 0;
  #lastDraw = 0;

  constructor(label: string, total: number, options: ProgressOptions = {}) {
    this.#stream = options.stream ?? process.stderr;
    this.#tty = Boolean(this.#stream.isTTY);
    this.#intervalMs = (options.intervalSeconds ?? 5) * 1000;
    this.#clock = options.clock ?? Date.now;
    this.#label = label;
    this.#total = total;
    this.#started = this.#clock();
    this.#lastDraw = this.#started;
  }

  #line(): string {
    const elapsed = Math.max(0.001, (this.#clock() - this.#started) / 1000);
    const rate = this.#done / elapsed;
    const eta = rate > 0 ? (this.#total - this.#done) / rate : Number.POSITIVE_INFINITY;
    const pct = this.#total > 0 ? Math.min(100, (this.#done / this.#total) * 100) : 100;
    return `${this.#label}: ${this.#done}/${this.#total} (${pct.toFixed(1)}%) ${Math.round(rate)}/s ETA ${duration(eta)}`;
  }

  add(count: number): void {
    this.#done += count;
    const now = this.#clock();
    if (this.#tty) {
      if (now - this.#lastDraw < 100 && this.#done < this.#total) return;
      const width = 30;
      const filled = this.#total > 0 ? Math.round((this.#done / this.#total) * width) : width;
      const bar = `[${'#'.repeat(Math.min(width, filled))}${'-'.repeat(Math.max(0, width - filled))}]`;
      this.#stream.write(`\r\x1b[2K${bar} ${this.#line()}`);
    } else {
      if (now - this.#lastDraw < this.#intervalMs) return;
      this.#stream.write(`${this.#line()}\n`);
    }
    this.#lastDraw = now;
  }

  finish(): void {
    if (this.#tty) this.#stream.write(`\r\x1b[2K${this.#line()}\n`);
    else this.#stream.write(`${this.#line()}\n`);
  }
}
