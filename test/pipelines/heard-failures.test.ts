/**
 * The failure `licbridge run` reports for a run is the first one its workers told of
 * (pipelines/heard-failures.ts): later ones do not replace it, and an extract job's failure after
 * the run was extracted is passed over while the run finishes its work.
 */
import { describe, expect, it } from 'vitest';
import { HeardFailures } from '../../pipelines/heard-failures.js';

const EXTRACTED = { extractedAt: new Date('2026-12-02T10:00:00.000Z'), state: 'running' as const };
const NOT_EXTRACTED = { extractedAt: null, state: 'running' as const };

describe('the failures heard of a run', () => {
  it('keep the first: a later failure of the same run does not replace it', () => {
    const heard = new HeardFailures();
    heard.add('r1', 'sign: job a stalled out 2 times: the worker died');
    heard.add('r1', 'sign: job b stalled out 2 times: the worker died');
    heard.add('r2', 'deliver: job c failed');
    const told: string[] = [];
    for (let poll = 0; poll < 3; poll++) {
      expect(heard.failureOf('r1', NOT_EXTRACTED, (m) => told.push(m))).toBe(
        'sign: job a stalled out 2 times: the worker died',
      );
    }
    expect(heard.failureOf('r2', NOT_EXTRACTED, (m) => told.push(m))).toBe('deliver: job c failed');
    expect(heard.failureOf('r3', NOT_EXTRACTED, (m) => told.push(m))).toBeUndefined();
    expect(told).toEqual([]);
  });

  it("pass over the extract job's failure after extraction, told once, and take the next one heard", () => {
    const heard = new HeardFailures();
    const told: string[] = [];
    heard.add('r1', 'extract: the completion check failed');
    expect(heard.failureOf('r1', EXTRACTED, (m) => told.push(m))).toBeUndefined();
    heard.add('r1', 'sign: job a failed');
    expect(heard.failureOf('r1', EXTRACTED, (m) => told.push(m))).toBe('sign: job a failed');
    expect(heard.failureOf('r1', EXTRACTED, (m) => told.push(m))).toBe('sign: job a failed');
    expect(told).toEqual(['extract: the completion check failed']);
  });

  it("keep an extract job's failure before extraction, or once the run is marked failed", () => {
    const heard = new HeardFailures();
    heard.add('r1', 'extract: the source failed');
    expect(heard.failureOf('r1', NOT_EXTRACTED, () => {})).toBe('extract: the source failed');
    heard.add('r2', 'extract: the completion check failed');
    expect(heard.failureOf('r2', { ...EXTRACTED, state: 'failed' }, () => {})).toBe(
      'extract: the completion check failed',
    );
  });
});
