import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress, formatDuration } from '../../cli/progress.js';

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk, _enc, cb) {
        chunks.push(String(chunk));
        cb();
      },
    }),
    { isTTY },
  );
  return { stream, chunks };
}

describe('progress of long commands', () => {
  it('shows count, percentage, rate and ETA from the clock it is given', () => {
    let t = 0;
    const { stream, chunks } = sink(false);
    const p = createProgress('backfill', { unit: 'rows', total: 1000, stream, now: () => t, intervalMs: 0 });
    t = 10_000;
    p.update(250);
    expect(chunks[0]).toBe('backfill: 250/1000 rows, 25%, 25.0 rows/s, ETA 30s, elapsed 10s\n');
  });

  it('writes plain lines at most once per interval when not a terminal, and always the last one', () => {
    let t = 0;
    const { stream, chunks } = sink(false);
    const p = createProgress('discover', { unit: 'tables', stream, now: () => t, intervalMs: 5000 });
    for (let i = 1; i <= 10; i++) {
      t = i * 1000;
      p.update(i);
    }
    p.done('3 candidates');
    expect(chunks).toHaveLength(3); // at 1 s, at 6 s, and the final line
    expect(chunks.every((c) => c.endsWith('\n') && !c.includes('\r'))).toBe(true);
    expect(chunks[2]).toBe('discover: 10 tables, 1.0 tables/s, elapsed 10s, 3 candidates\n');
  });

  it('rewrites one line in place on a terminal', () => {
    let t = 0;
    const { stream, chunks } = sink(true);
    const p = createProgress('reconcile', { stream, now: () => t });
    t = 1000;
    p.update(5);
    p.update(6);
    p.done();
    expect(chunks.slice(0, 2).every((c) => c.startsWith('\r\x1b[2K') && !c.endsWith('\n'))).toBe(true);
    expect(chunks[2]?.endsWith('\n')).toBe(true);
  });

  it('formats durations for people', () => {
    expect(formatDuration(42)).toBe('42s');
    expect(formatDuration(185)).toBe('3m05s');
    expect(formatDuration(7620)).toBe('2h07m');
  });
});

describe('the final line when nothing moved since the last plain line', () => {
  it('is not written twice', () => {
    let out = '';
    const stream = {
      write: (s: string) => {
        out += s;
        return true;
      },
      isTTY: false,
    } as unknown as NodeJS.WritableStream;
    const p = createProgress('discover demo', { unit: 'tables', total: 1, stream, now: () => 0 });
    p.update(1);
    p.done();
    expect(out.trim().split('\n')).toHaveLength(1);
  });
});
