/**
 * Progress of a long command (a backfill, a reconciliation, a discovery) on stderr: done/total,
 * rate and ETA. On a terminal one line is rewritten in place; otherwise (CI, a log file, `| tee`)
 * a plain line is written at most every `intervalMs`, so logs stay readable and small.
 * stdout is never touched: it belongs to results and `--json`.
 */

export interface ProgressOptions {
  /** What is counted, shown after the numbers: `rows`, `licenses`, `tables`. @defaultValue `items` */
  unit?: string;
  /** Total when known: enables the percentage and the ETA. @defaultValue unknown */
  total?: number;
  /** Where lines go. @defaultValue `process.stderr` */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Minimum time between plain (non-TTY) lines, ms. @defaultValue 5000 */
  intervalMs?: number;
  /** Clock, for tests. @defaultValue `Date.now` */
  now?: () => number;
}

export interface Progress {
  /** Sets the count done so far (absolute, not an increment); `extra` is appended, e.g. `quarantined 3`. */
  update(done: number, extra?: string): void;
  /** Changes the total once it becomes known. */
  setTotal(total: number): void;
  /** Writes the final line. */
  done(extra?: string): void;
}

export function createProgress(label: string, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const tty = Boolean(stream.isTTY);
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 5000;
  const unit = options.unit ?? 'items';
  const started = now();
  let total = options.total;
  let count = 0;
  let lastPlain = Number.NEGATIVE_INFINITY;
  // The count the last plain line showed: the final line is not repeated when nothing moved since.
  let plainCount: number | undefined;
  let wroteTty = false;

  const line = (extra?: string): string => {
    const seconds = Math.max((now() - started) / 1000, 0.001);
    const rate = count / seconds;
    const parts = [`${label}: ${count}${total !== undefined ? `/${total}` : ''} ${unit}`];
    if (total !== undefined && total > 0) parts.push(`${Math.floor((100 * count) / total)}%`);
    parts.push(`${formatRate(rate)} ${unit}/s`);
    if (total !== undefined && rate > 0 && count < total)
      parts.push(`ETA ${formatDuration((total - count) / rate)}`);
    parts.push(`elapsed ${formatDuration(seconds)}`);
    if (extra) parts.push(extra);
    return parts.join(', ');
  };

  return {
    update(done, extra) {
      count = done;
      if (tty) {
        stream.write(`\r\x1b[2K${line(extra)}`);
        wroteTty = true;
      } else if (now() - lastPlain >= interval) {
        lastPlain = now();
        plainCount = count;
        stream.write(`${line(extra)}\n`);
      }
    },
    setTotal(t) {
      total = t;
    },
    done(extra) {
      if (tty && wroteTty) stream.write(`\r\x1b[2K${line(extra)}\n`);
      else if (plainCount !== count || extra) stream.write(`${line(extra)}\n`);
    },
  };
}

export function formatRate(rate: number): string {
  return rate >= 100 ? String(Math.round(rate)) : rate.toFixed(1);
}

/** `42s`, `3m05s`, `2h07m`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
