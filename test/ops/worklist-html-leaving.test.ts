/**
 * The worklist page's notes on the entries a sync does not remove. The `LB_VERSION_LIMIT` note said
 * such an entry leaves only at the next sync once its row is put back to what version 999 holds,
 * never naming `licbridge quarantine resolve`, the way off the list for a license dealt with as its
 * advice says (the reason's own sentences name it). The `LB_STORED_TEXT` note said the entry leaves
 * once the restored version is signed, or the tick or a repair ends the license; a dead-lettered
 * version's record also closes on the answer to its replayed send, and once no delivery of it is
 * left to send (its dead letter discarded, or a later version accepted at its target). Both notes
 * now take their sentence on leaving the list from quarantine-reasons.ts, as the reasons do.
 */
import { describe, expect, it } from 'vitest';
import { leavingText, reasonText } from '../../pipelines/quarantine-reasons.js';
import { entry, worklistPageText } from './worklist-page.js';

/** The page's text as a browser shows it: its character references read. */
const asShown = (s: string): string =>
  s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));

describe('quarantine worklist HTML: how the entries a sync leaves leave the list', () => {
  it('names quarantine resolve for a version-limit entry, as its reason does', () => {
    const html = asShown(worklistPageText([entry('48', 'LB_VERSION_LIMIT')]));
    expect(html).toContain('licbridge quarantine resolve <key> --pipeline P --reason LB_VERSION_LIMIT');
    expect(html).not.toContain('下次同步时才移除');
    const leaving = leavingText('LB_VERSION_LIMIT');
    expect(leaving?.zh).toBeDefined();
    expect(html).toContain(leaving?.zh);
    expect(reasonText('LB_VERSION_LIMIT').zh).toContain(leaving?.zh);
    expect(reasonText('LB_VERSION_LIMIT').en).toContain(leaving?.en);
  });

  it('says a stored-text entry also leaves on a replayed send answered, or no delivery left to send', () => {
    const html = asShown(worklistPageText([entry('47', 'LB_STORED_TEXT')]));
    expect(html).toContain('重放');
    expect(html).toContain('答复');
    expect(html).toContain('dlq discard');
    expect(html).toContain('较新版本');
    const leaving = leavingText('LB_STORED_TEXT');
    expect(leaving?.zh).toBeDefined();
    expect(html).toContain(leaving?.zh);
    expect(leaving?.en).toContain('dlq discard');
  });

  it('says a keyless row’s entry stays once its key is filled in, and names quarantine resolve', () => {
    // The row is issued under its key; no row gives the stand-in again, so no sync removes it.
    const html = asShown(
      worklistPageText([entry('XKZBH:missing#9954e318eb3d46cf', 'LB_SOURCE_KEY_MISSING')]),
    );
    const leaving = leavingText('LB_SOURCE_KEY_MISSING');
    expect(leaving?.zh).toContain(
      'licbridge quarantine resolve <key> --pipeline P --reason LB_SOURCE_KEY_MISSING',
    );
    expect(leaving?.en).toContain('--reason LB_SOURCE_KEY_MISSING');
    expect(html).toContain(leaving?.zh);
    expect(html).toMatch(/原因为\s+LB_SOURCE_KEY_MISSING\s+的记录例外/);
    expect(reasonText('LB_SOURCE_KEY_MISSING').zh).toContain(leaving?.zh);
    expect(reasonText('LB_SOURCE_KEY_MISSING').en).toContain(leaving?.en);
  });

  it('has no such sentence for a code a sync removes', () => {
    expect(leavingText('LB_HOLDER_ID_CHECK')).toBeUndefined();
  });
});
