/**
 * The worklist's sentences for `LB_VERSION_LIMIT` said the entry stays after the change is issued
 * under a new license number and leaves only once the record is put back to what version 999 holds,
 * but not that `licbridge quarantine resolve` closes it: the only way off the list for a license
 * dealt with as the sentence advises (ledger/quarantine-resolve.ts). Both languages now name the
 * command, in the form the CLI takes it.
 */
import { describe, expect, it } from 'vitest';
import { reasonText } from '../../pipelines/quarantine-reasons.js';

const COMMAND = '`licbridge quarantine resolve <key> --pipeline P --reason LB_VERSION_LIMIT`';

describe('the LB_VERSION_LIMIT reason sentences and quarantine resolve', () => {
  const { zh, en } = reasonText('LB_VERSION_LIMIT');

  it('name the command that closes the entry once the license is dealt with', () => {
    expect(en).toContain(COMMAND);
    expect(zh).toContain(COMMAND);
  });

  it('no longer say the record put back is the only way off the list', () => {
    expect(en).not.toMatch(/removes it only once/);
    expect(zh).not.toContain('下次同步时才移除');
  });
});
