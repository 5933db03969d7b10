/**
 * The demo's progress on stderr: counts, rates over the last interval and elapsed time, at most
 * once a second on a terminal (one rewritten line) and every five seconds otherwise (plain
 * lines), so a million-row demo shows it is moving without flooding a log.
 */
import { terminalSafe } from '../../core/terminal-text.js';
import type { RunSummary } from '../../pipelines/run-pipelines.js';

const count = (n: number) => n.toLocaleString('en-US');

function elapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60];
  return (hms[0] ? hms : hms.slice(1))
    .map((v, i) => (i === 0 ? String(v) : String(v).padStart(2, '0')))
    .join(':');
}

export interface DemoProgress {
  /** Rows of the legacy table written so far, while it is generated. */
  generating(written: number, rows: number): void;
  update(runs: readonly RunSummary[]): void;
  /** Ends the rewritten line and prints the totals once. */
  done(runs?: readonly RunSummary[]): void;
}

export function demoProgress(
  stream: NodeJS.WriteStream = process.stderr,
  options: { clock?: () => number; intervalMs?: number } = {},
): DemoProgress {
  const clock = options.clock ?? Date.now;
  const tty = Boolean(stream.isTTY);
  const interval = options.intervalMs ?? (tty ? 1000 : 5000);
  const started = clock();
  let last: { at: number; counts: Map<string, number> } | undefined;
  let pending = false;
  /** When the pipelines started: the first progress report after any generation. */
  let runsStarted: number | undefined;

  const emit = (text: string) => {
    const safe = terminalSafe(text);
    if (tty) {
      stream.write(`\r\x1b[2K${safe}`);
      pending = true;
    } else stream.write(`${safe}\n`);
  };
  /** Whether a line is due; `force` for the last one of a phase. */
  const due = (force: boolean) => force || last === undefined || clock() - last.at >= interval;
  /** Each count with its rate since the last line shown. */
  const withRates = (counts: Map<string, number>) => {
    const now = clock();
    const seconds = last ? (now - last.at) / 1000 : 0;
    const parts = [...counts].map(([name, n]) => {
      const before = last?.counts.get(name);
      const rate =
        before !== undefined && seconds > 0 ? ` (${count(Math.round((n - before) / seconds))}/s)` : '';
      return `${name} ${count(n)}${rate}`;
    });
    last = { at: now, counts };
    return parts.join(', ');
  };
  const countsOf = (runs: readonly RunSummary[]) => {
    const counts = new Map<string, number>();
    const sum = (name: string, n: number) => counts.set(name, (counts.get(name) ?? 0) + n);
    for (const r of runs) {
      sum('read', r.read);
      sum('created', r.created);
      sum('quarantined', r.quarantined);
      sum('signed', r.signed);
      for (const [t, n] of Object.entries(r.delivered)) sum(`delivered to ${t}`, n);
    }
    return counts;
  };

  return {
    generating(written, rows) {
      if (!due(written === rows)) return;
      emit(
        `demo ${elapsed(clock() - started)}: legacy database ${withRates(new Map([['rows', written]]))} of ${count(rows)}`,
      );
      if (written === rows) last = undefined;
    },
    update(runs) {
      runsStarted ??= clock();
      if (!due(false)) return;
      emit(`demo ${elapsed(clock() - started)}: ${withRates(countsOf(runs))}`);
    },
    done(runs) {
      if (tty && pending) stream.write('\n');
      pending = false;
      if (!runs) return;
      const now = clock();
      const from = runsStarted ?? started;
      const seconds = Math.max(0.001, (now - from) / 1000);
      const delivered = runs.reduce((s, r) => s + Object.values(r.delivered).reduce((a, b) => a + b, 0), 0);
      const setup = from > started ? `, ${elapsed(from - started)} of it preparing` : '';
      stream.write(
        terminalSafe(
          `demo: done in ${elapsed(now - started)}${setup}: ${count(delivered)} deliveries, ${count(Math.round(delivered / seconds))}/s while the pipelines ran\n`,
        ),
      );
    },
  };
}
