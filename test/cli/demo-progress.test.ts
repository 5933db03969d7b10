import { describe, expect, it } from 'vitest';
import { demoProgress } from '../../cli/commands/demo.js';
import type { RunSummary } from '../../pipelines/run-pipelines.js';

function fakeStream(isTTY: boolean) {
  const out: string[] = [];
  return { out, stream: { isTTY, write: (s: string) => out.push(s) } };
}

const run = (read: number, signed: number, delivered: number): RunSummary => ({
  pipeline: 'food',
  runId: 'r1',
  state: 'done',
  read,
  created: read,
  unchanged: 0,
  quarantined: 0,
  signed,
  delivered: { province: delivered },
  deadLettered: { province: 0 },
});

describe('the demo progress line', () => {
  it('shows counts with rates, at most once per interval, without a terminal one line each', () => {
    let now = 0;
    const { out, stream } = fakeStream(false);
    const p = demoProgress({ stream, clock: () => now, intervalSeconds: 5 });
    p.update([run(0, 0, 0)]);
    for (let s = 1; s <= 10; s++) {
      now = s * 1000;
      p.update([run(s * 1000, s * 800, s * 500)]);
    }
    // One each five seconds, the first one interval after the start (docs/operations.md,
    // "Progress"), its rates since the pipelines started: at 5 s and 10 s.
    expect(out).toHaveLength(2);
    expect(out[0]).toBe(
      'demo 0:05: read 5,000 (1,000/s), created 5,000 (1,000/s), quarantined 0 (0/s), signed 4,000 (800/s), delivered to province 2,500 (500/s)\n',
    );
    expect(out[1]).toMatch(/^demo 0:10: read 10,000 \(1,000\/s\).*delivered to province 5,000 \(500\/s\)\n$/);
    now = 20_000;
    p.done([run(10_000, 10_000, 10_000)]);
    expect(out[2]).toBe('demo: done in 0:20: 10,000 deliveries, 500/s while the pipelines ran\n');
  });

  it('rewrites one line on a terminal, shows the generation with its rate, and ends the line', () => {
    let now = 0;
    const { out, stream } = fakeStream(true);
    const p = demoProgress({ stream, clock: () => now });
    p.generating(10_000, 30_000); // within the first second: not shown
    now = 500;
    p.generating(20_000, 30_000); // nor here
    now = 2000;
    p.generating(30_000, 30_000); // the last chunk always is, its rate since the start
    expect(out).toEqual(['\r\x1b[2Kdemo 0:02: legacy database rows 30,000 (15,000/s) of 30,000']);
    now = 3000;
    p.update([run(0, 0, 0)]);
    now = 63_000;
    p.update([run(600, 600, 600)]);
    p.done([run(600, 600, 600)]);
    expect(out.slice(1)).toEqual([
      '\r\x1b[2Kdemo 0:03: read 0, created 0, quarantined 0, signed 0, delivered to province 0',
      '\r\x1b[2Kdemo 1:03: read 600 (10/s), created 600 (10/s), quarantined 0 (0/s), signed 600 (10/s), delivered to province 600 (10/s)',
      '\n',
      'demo: done in 1:03, 0:03 of it preparing: 600 deliveries, 10/s while the pipelines ran\n',
    ]);
  });
});
