import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatDuration, Progress } from '../../cli/progress.js';

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
    const p = new Progress('backfill: rows', 1000, { stream, clock: () => t, intervalSeconds: 0 });
    t = 10_000;
    p.set(250);
    expect(chunks[0]).toBe('backfill: rows: 250/1000 (25.0%) 25/s ETA 30s\n');
  });

  it('writes plain lines at most once per interval when not a terminal, the first one interval in, and always the last count', () => {
    let t = 0;
    const { stream, chunks } = sink(false);
    const p = new Progress('discover demo: tables', undefined, {
      stream,
      clock: () => t,
      intervalSeconds: 5,
    });
    for (let i = 1; i <= 8; i++) {
      t = i * 1000;
      p.set(i);
    }
    p.finish();
    expect(chunks).toEqual(['discover demo: tables: 5 1/s\n', 'discover demo: tables: 8 1/s\n']);
  });

  it('rewrites one line in place on a terminal, at most every 100 ms, and ends it', () => {
    let t = 0;
    const { stream, chunks } = sink(true);
    const p = new Progress('reconcile food: source rows', undefined, { stream, clock: () => t });
    t = 1000;
    p.set(5);
    t = 1050;
    p.set(6); // within 100 ms of the line before: not drawn
    t = 1200;
    p.set(7);
    p.finish();
    expect(chunks).toEqual([
      '\r\x1b[2Kreconcile food: source rows: 5 5/s',
      '\r\x1b[2Kreconcile food: source rows: 7 6/s',
      '\r\x1b[2Kreconcile food: source rows: 7 6/s\n',
    ]);
  });

  it('shows nothing under --json', () => {
    let t = 0;
    const { stream, chunks } = sink(false);
    const p = new Progress('discover demo: tables', 3, {
      stream,
      clock: () => t,
      intervalSeconds: 0,
      silent: true,
    });
    t = 1000;
    p.set(3);
    p.finish();
    expect(chunks).toEqual([]);
  });

  it('formats durations for people', () => {
    expect(formatDuration(42)).toBe('42s');
    expect(formatDuration(185)).toBe('3m05s');
    expect(formatDuration(7620)).toBe('2h07m');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('?');
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
    };
    const p = new Progress('discover demo: tables', 1, { stream, clock: () => 0 });
    p.set(1);
    p.finish();
    expect(out.trim().split('\n')).toHaveLength(1);
  });
});
