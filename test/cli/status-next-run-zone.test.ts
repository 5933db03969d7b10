/**
 * `licbridge status` printed the next run in UTC (`next run: 2026-12-03T18:30:00.000Z`) while
 * `licbridge schedule` printed the same tick as `2026-12-04 02:30 +08:00`: a 02:30 schedule read as
 * one installed in the wrong zone. The text now shows it on the clock of `lifecycle.timeZone`, with
 * the offset; `--json` keeps UTC ISO.
 */
import { describe, expect, it } from 'vitest';
import { statusText } from '../../cli/commands/status.js';
import type { PipelineStatus, StatusReport } from '../../pipelines/observability/status-types.js';

const report = (nextRun: PipelineStatus['nextRun'], redisDown = false): StatusReport =>
  ({
    generatedAt: '2026-12-03T10:00:00.000Z',
    pipelines: [
      {
        pipeline: 'small-catering-registrations',
        source: 'market-food',
        lastRun: null,
        checkpoint: null,
        lag: null,
        awaitingSignature: 0,
        awaitingDelivery: {},
        targets: {},
        nextRun,
      },
    ],
    queues: redisDown ? { error: 'Redis not reachable' } : [],
    attention: [],
    information: [],
  }) as unknown as StatusReport;

const nextRunLine = (text: string) => text.split('\n').find((l) => l.startsWith('  next run:'));

describe('status: the next run on the clock of lifecycle.timeZone', () => {
  it('shows an installed schedule’s tick as wall time with its offset', () => {
    const text = statusText(report({ at: '2026-12-03T18:30:00.000Z', source: 'queue' }), 'Asia/Shanghai');
    expect(nextRunLine(text)).toBe('  next run: 2026-12-04 02:30 +08:00');
  });

  it('shows the config’s tick the same way, still saying where it comes from', () => {
    const text = statusText(report({ at: '2026-12-03T18:30:00.000Z', source: 'config' }, true), 'UTC');
    expect(nextRunLine(text)).toBe(
      '  next run: 2026-12-03 18:30 +00:00 (from the config; Redis not reachable, so whether the schedule is installed is unknown)',
    );
  });

  it('says not scheduled when there is none', () => {
    expect(nextRunLine(statusText(report({ at: null, source: 'none' }), 'Asia/Shanghai'))).toBe(
      '  next run: not scheduled',
    );
  });
});
