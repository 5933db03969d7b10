/**
 * The worklist page says rows fixed in the business system leave the list at the next sync. An
 * `LB_VERSION_LIMIT` entry does not, as its advice is followed: the license holds version 999, so
 * the row's change has no version to go to however often a sync reads it, and a real change
 * issued under a new license number leaves the old row as it is (test/ledger/
 * version-limit-leaves-list). It leaves once the row reads again as version 999 holds it. A page
 * holding one now says so; a page without one reads as before.
 */
import { describe, expect, it } from 'vitest';
import { entry, worklistPageText } from './worklist-page.js';

describe('quarantine worklist HTML: when a version-limit entry leaves the list', () => {
  it('says a sync does not remove it, and what does', () => {
    const html = worklistPageText([entry('46', 'LB_HOLDER_ID_CHECK'), entry('48', 'LB_VERSION_LIMIT')]);
    expect(html).toContain('改正后的记录在下次同步时自动从本清单中移除');
    expect(html).toMatch(/LB_VERSION_LIMIT\s*的记录例外/);
    expect(html).toContain('重新同步不会将其移除');
    expect(html).toContain('以新证照编号换发或变更后，原记录仍留在本清单中');
    expect(html).toContain('改回台账中第 999 版的内容');
    expect(html).toContain('到期');
    expect(html).toContain('已删除');
  });

  it('says nothing of the version limit on a list without such an entry', () => {
    const html = worklistPageText([entry('47', 'LB_STORED_TEXT')]);
    expect(html).not.toContain('LB_VERSION_LIMIT');
    expect(html).not.toContain('999');
  });
});
