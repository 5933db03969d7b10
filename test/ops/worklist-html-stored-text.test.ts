/**
 * The worklist page told people that rows they fixed leave the list at the next sync. An
 * `LB_STORED_TEXT` entry is not a business row to fix: the ledger's stored text of a version is
 * corrupt, a sync that reads the row again leaves it on the list, and it leaves once the text is
 * restored from a backup of the ledger and that version signed, or the lifecycle tick or a repair
 * ends the license from it. A page holding one now says so; a page without one reads as before.
 */
import { describe, expect, it } from 'vitest';
import { entry, worklistPageText } from './worklist-page.js';

describe('quarantine worklist HTML: how entries leave the list', () => {
  it('says a stored-text entry does not leave at the next sync, and when it does', () => {
    const html = worklistPageText([entry('46', 'LB_HOLDER_ID_CHECK'), entry('47', 'LB_STORED_TEXT')]);
    expect(html).toContain('改正后的记录在下次同步时自动从本清单中移除');
    expect(html).toContain('LB_STORED_TEXT');
    expect(html).toContain('重新同步不会将其移除');
    expect(html).toContain('从台账备份中恢复');
    expect(html).toContain('签章后');
    expect(html).toContain('到期处理或对账修复');
  });

  it('says nothing of stored texts on a list without one', () => {
    const html = worklistPageText([entry('46', 'LB_HOLDER_ID_CHECK')]);
    expect(html).toContain('改正后的记录在下次同步时自动从本清单中移除');
    expect(html).not.toContain('LB_STORED_TEXT');
  });
});
