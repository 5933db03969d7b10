import { describe, expect, it } from 'vitest';
import { Progress } from '../../cli/progress.js';

function fakeStream(isTTY: boolean) {
  const out: string[] = [];
  return { out, stream: { isTTY, write: (s: string) => out.push(s) } };
}

describe('the progress of a pass shown only past its first interval', () => {
  it('leaves stderr as it was for work done within the interval, on a terminal too', () => {
    for (const tty of [false, true]) {
      let now = 0;
      const { out, stream } = fakeStream(tty);
      const p = new Progress('dlq replay: deliveries final', 3, {
        stream,
        clock: () => now,
        onlyPastInterval: true,
      });
      now = 4_000;
      p.set(3);
      p.finish();
      expect(out, `tty ${tty}`).toEqual([]);
    }
  });

  it('writes lines once the interval has passed, the count read back, and no final line repeating the last', () => {
    let now = 0;
    const { out, stream } = fakeStream(false);
    const p = new Progress('lifecycle run: signed and delivered', 40, {
      stream,
      clock: () => now,
      onlyPastInterval: true,
    });
    now = 1_000;
    p.set(4);
    now = 5_000;
    p.set(20);
    now = 10_000;
    p.set(40);
    p.finish();
    expect(out).toEqual([
      'lifecycle run: signed and delivered: 20/40 (50.0%) 4/s ETA 5s\n',
      'lifecycle run: signed and delivered: 40/40 (100.0%) 4/s ETA 0s\n',
    ]);
  });

  it('counts without a total when none is known ahead: no bar, no percentage, no ETA', () => {
    let now = 0;
    const { out, stream } = fakeStream(true);
    const p = new Progress('lifecycle run: food: expired', undefined, {
      stream,
      clock: () => now,
      onlyPastInterval: true,
    });
    now = 6_000;
    p.set(3_000);
    now = 12_000;
    p.set(6_000);
    p.finish();
    expect(out).toEqual([
      '\r\x1b[2Klifecycle run: food: expired: 3000 500/s',
      '\r\x1b[2Klifecycle run: food: expired: 6000 500/s',
      '\r\x1b[2Klifecycle run: food: expired: 6000 500/s\n',
    ]);
  });

  it('without it, as `sign backfill` shows it: the final line always', () => {
    let now = 0;
    const { out, stream } = fakeStream(false);
    const p = new Progress('sign food', 10, { stream, clock: () => now });
    now = 1_000;
    p.add(10);
    p.finish();
    expect(out).toEqual(['sign food: 10/10 (100.0%) 10/s ETA 0s\n']);
  });
});
