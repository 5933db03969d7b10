/**
 * `audit export --from/--to` take a sequence number. One past the safe integers was read as
 * another number (9007199254740993 as ...992), and one past PostgreSQL's bigint failed the export
 * with the database's words (`22003: value … is out of range for type bigint`, a ledger failure)
 * where a SQLite ledger exported nothing: it is refused as a mistyped bound, naming it, on both.
 *
 * The ledger of this workspace is not there: a bound accepted reaches the ledger's open, which
 * refuses it naming the file; a bound refused never gets that far.
 */
import { describe, expect, it } from 'vitest';
import { useExportCommand } from './export-workspace.js';

describe('audit export sequence-number bounds', () => {
  const command = useExportCommand();
  const { exporting } = command;

  it.each([
    ['from', '100000000000000000000'],
    ['to', '9007199254740993'],
  ] as const)('refuses --%s %s, naming it', async (which, value) => {
    await expect(exporting({ [which]: value })).rejects.toThrow(
      `audit: expected \`--${which}\` to be a sequence number of at most 9007199254740991 or an ISO date, got \`${value}\``,
    );
  });

  it.each([
    ['from', '9007199254740991'],
    ['to', '0'],
  ] as const)('takes --%s %s', async (which, value) => {
    await expect(exporting({ [which]: value })).rejects.toThrow(command.missing);
  });
});
