/**
 * A scheduled full check that fails is stored in the ledger with its error's message, which
 * `status` shows. A source's failure is a licbridge error that carries the driver's words (`source
 * S: query failed: …`), and those may quote a row's value — a holder's name that no shape masks.
 * The worker's record of the same failure in Redis hides a quoted value, as the CLI does; the
 * ledger's kept it whole. It is hidden there too; the source, the table and the column named by
 * the driver are kept.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes, failureMessage, LicbridgeError } from '../../core/errors.js';
import { storedReason } from '../../pipelines/workers/base.js';

describe('a failed check as stored', () => {
  const error = new LicbridgeError(
    ErrorCodes.SOURCE_QUERY,
    'source legacy: query failed: invalid input syntax for type bigint: "王小明" in column "ZJHM" of relation "V_XKZ"',
  );

  it('hides a value the driver quoted in a licbridge error, as the worker does', () => {
    const { code, message } = failureMessage(error);
    expect(code).toBe('LB_SOURCE_QUERY');
    expect(message).not.toContain('王小明');
    expect(storedReason(error)).not.toContain('王小明');
    expect(message).toContain('source legacy: query failed: invalid input syntax for type bigint');
    expect(message).toContain('"ZJHM"');
    expect(message).toContain('"V_XKZ"');
  });

  it("keeps licbridge's own words whole", () => {
    const own = new LicbridgeError(
      ErrorCodes.USAGE,
      'reconcile: source legacy is read only in its readWindow `20:00-06:00` (sources.legacy.readWindow in /etc/licbridge/licbridge.yaml); host time is 12:00: nothing was read. Run reconcile inside the window',
    );
    expect(failureMessage(own).message).toBe(own.message);
  });
});
