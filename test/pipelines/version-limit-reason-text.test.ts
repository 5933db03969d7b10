/**
 * The worklist's sentences for `LB_VERSION_LIMIT` told the clerk to check whether the business
 * system rewrites the record "when nothing changed", though a page quarantines the row only when
 * its mapped content did change (an unchanged row maps as version 999 holds it), and said the fix
 * was a new license number without saying the entry stays after that: only the record put back to
 * what version 999 holds leaves the list (test/ledger/version-limit-leaves-list). Both languages
 * now say the change was not written, and what does and does not remove the entry.
 */
import { describe, expect, it } from 'vitest';
import { reasonText } from '../../pipelines/quarantine-reasons.js';

describe('the LB_VERSION_LIMIT reason sentences', () => {
  const { zh, en } = reasonText('LB_VERSION_LIMIT');

  it('speak of a change, never of a record rewritten with nothing changed', () => {
    expect(en).not.toMatch(/nothing changed/i);
    expect(zh).not.toContain('内容未变');
    expect(en).toContain('was not written');
    expect(zh).toContain('改动未写入台账');
  });

  it('say the entry stays after a new license number, and what removes it', () => {
    expect(en).toContain('stays on this list after the change is issued under a new license number');
    expect(zh).toContain('以新证照编号办理后，本条仍留在清单中');
    expect(en).toContain('put back to what version 999 holds');
    expect(zh).toContain('改回台账中第 999 版的内容');
  });

  it('say what a tick past the valid-to date left undone', () => {
    expect(en).toContain('could not be expired');
    expect(zh).toContain('无法办理到期');
  });
});
