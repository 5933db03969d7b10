/**
 * `reconcile.schedule` is read in `lifecycle.timeZone`, a source's `readWindow` in the host's time,
 * and a full check outside the window is refused. On a UTC host the default `0 2 * * *` (02:00 in
 * Beijing) ticks at 18:00, outside a window written `20:00-06:00`: every night's check failed, and
 * `config check` said nothing of it. It warns, naming the tick in both clocks and the pipelines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { checksOutsideReadWindow } from '../../pipelines/schedule-window.js';

const config = (readWindow: string | undefined, schedule?: string): Config =>
  ({
    file: '/etc/licbridge/licbridge.yaml',
    sources: {
      hr: { kind: 'postgres', ...(readWindow ? { readWindow } : {}) },
      files: { kind: 'xml-files' },
    },
    pipelines: {
      food: { source: 'hr', stream: 'food' },
      drugs: { source: 'hr', stream: 'drugs' },
      exports: { source: 'files', stream: 'x' },
    },
    lifecycle: { timeZone: 'Asia/Shanghai' },
    ...(schedule ? { reconcile: { schedule } } : {}),
  }) as unknown as Config;

describe('a full check scheduled outside its source read window', () => {
  const hostZone = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'UTC';
  });
  afterAll(() => {
    if (hostZone === undefined) delete process.env.TZ;
    else process.env.TZ = hostZone;
  });
  const now = new Date('2026-03-10T03:00:00Z');

  it('warns on a UTC host of the default 02:00 Beijing tick outside 20:00-06:00', () => {
    const warnings = checksOutsideReadWindow(config('20:00-06:00'), now);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(
      '`reconcile.schedule` (`0 2 * * *`, read in lifecycle.timeZone Asia/Shanghai)',
    );
    expect(warnings[0]).toContain('ticks at 2026-03-11 02:00 Asia/Shanghai');
    expect(warnings[0]).toContain('source hr is read only in its readWindow `20:00-06:00`');
    expect(warnings[0]).toContain('host time is 18:00 (UTC+00:00)');
    expect(warnings[0]).toContain('pipeline food, pipeline drugs');
    expect(warnings[0]).not.toContain('exports');
  });

  it('says nothing when the window, in host time, holds the tick', () => {
    // Beijing's 20:00-06:00 written on a UTC host.
    expect(checksOutsideReadWindow(config('12:00-22:00'), now)).toEqual([]);
    // 05:00 in Beijing is 21:00 on the host.
    expect(checksOutsideReadWindow(config('20:00-06:00', '0 5 * * *'), now)).toEqual([]);
    expect(checksOutsideReadWindow(config(undefined), now)).toEqual([]);
  });

  it('warns of a tick outside the window later in the week', () => {
    // Mondays at 06:30 Beijing, 22:30 UTC on Sunday: outside 12:00-22:00.
    const warnings = checksOutsideReadWindow(config('12:00-22:00', '30 6 * * 1'), now);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('ticks at 2026-03-16 06:30 Asia/Shanghai');
    expect(warnings[0]).toContain('host time is 22:30 (UTC+00:00)');
  });
});
