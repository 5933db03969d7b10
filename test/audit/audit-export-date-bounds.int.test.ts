/**
 * `audit export --from/--to` take a sequence number or an ISO date. A date-time that names no
 * moment of the calendar (30 February, hour 25, minute 60) was rolled over by Date into another
 * one (2 March, 01:00 the next day), and a date in another form (`2026/12/01`, `December 1, 2026`)
 * was read on the host's clock, not the department's as the docs promise: the export covered
 * other hours than the ones asked for, and said nothing. Both are refused now, naming the bound.
 *
 * The ledger of this workspace is not there: a bound accepted reaches the ledger's open, which
 * refuses it naming the file; a bound refused never gets that far.
 */
import { describe, expect, it } from 'vitest';
import { useExportCommand } from './export-workspace.js';

describe('audit export date bounds', () => {
  const command = useExportCommand();
  const { exporting } = command;

  it.each([
    ['from', '2026-02-30T00:00:00Z'],
    ['to', '2026-02-29'],
    ['to', '2026-12-01T25:00'],
    ['from', '2026-12-01T23:60'],
    ['to', '2026-12-01T10:00:61+08:00'],
    ['to', '2026-12-01T24:00:01Z'],
    ['from', '2026/12/01'],
    ['to', 'December 1, 2026'],
    ['from', '2026-12-01T08:30+08'],
  ] as const)('refuses --%s %s, naming it', async (which, value) => {
    await expect(exporting({ [which]: value })).rejects.toThrow(
      `audit: expected \`--${which}\` to be a sequence number or an ISO date, got \`${value}\``,
    );
  });

  it.each([
    ['from', '12'],
    ['from', '2026-12-01'],
    ['to', '2026-12-01T08:30'],
    ['to', '2026-12-01 08:30:15.5'],
    ['from', '2026-12-01T00:00:00Z'],
    ['from', '2026-12-01T08:30Z'],
    ['to', '2026-12-01T08:30:00+08:00'],
    ['to', '2026-12-01T08:30:00.123456+0800'],
    ['to', '2026-12-01T24:00'],
    ['to', '2026-12-01T24:00:00Z'],
    ['from', '2026-12-01t08:30:00z'],
    ['from', '2026-12-01t08:30'],
  ] as const)('takes --%s %s', async (which, value) => {
    await expect(exporting({ [which]: value })).rejects.toThrow(command.missing);
  });
});
