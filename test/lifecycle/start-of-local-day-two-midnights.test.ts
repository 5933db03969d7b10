/**
 * Where a day begins in a zone east of Greenwich whose summer time ends at 01:00, going back to
 * 00:00 (Asia/Amman and Asia/Gaza until 2021): the day has two midnights, and it begins at the
 * first. Read as one wall-clock time, 00:00 came out as the second, an hour into the day, so what
 * happened in that first hour (an objection opened, a change read) counted as the day before's.
 */
import { describe, expect, it } from 'vitest';
import { localDate } from '../../core/local-date.js';
import { startOfLocalDay } from '../../pipelines/lifecycle/calendar.js';
import { overdueCutoff } from '../../pipelines/lifecycle/deadlines.js';

describe('startOfLocalDay where the clocks go back from 01:00 to 00:00', () => {
  it('is the first of the two midnights', () => {
    // Amman, 2021-10-29: 01:00 +03 went back to 00:00 +02. The first midnight is 21:00Z, the second 22:00Z.
    const amman = startOfLocalDay('2021-10-29', 'Asia/Amman');
    expect(amman.toISOString()).toBe('2021-10-28T21:00:00.000Z');
    expect(localDate('Asia/Amman', new Date(amman.getTime() - 1))).toBe('2021-10-28');
    expect(startOfLocalDay('2021-10-29', 'Asia/Gaza').toISOString()).toBe('2021-10-28T21:00:00.000Z');
  });

  it('leaves an ordinary midnight where it is', () => {
    expect(startOfLocalDay('2021-10-30', 'Asia/Amman').toISOString()).toBe('2021-10-29T22:00:00.000Z');
    expect(startOfLocalDay('2021-07-01', 'Asia/Amman').toISOString()).toBe('2021-06-30T21:00:00.000Z');
  });

  it('counts a clock started in the first hour on its own day, as lateBy reads it', () => {
    const zone = 'Asia/Amman';
    const cal = {
      holidays: new Set<string>(),
      workdays: new Set<string>(),
      years: new Set<number>(),
      sources: new Map<number, string>(),
      timeZone: zone,
    };
    // Opened at 00:30 of the first hour of Friday 2021-10-29: its own day, not Thursday's.
    const opened = new Date('2021-10-28T21:30:00Z');
    expect(localDate(zone, opened)).toBe('2021-10-29');
    // On Monday a clock of 1 working day started on Thursday is overdue (due Friday), one started on
    // Friday is not (due Monday): the cutoff is where Friday begins.
    const cutoff = overdueCutoff(cal, 1, '2021-11-01');
    expect(cutoff.toISOString()).toBe('2021-10-28T21:00:00.000Z');
    expect(opened < cutoff).toBe(false);
  });
});
