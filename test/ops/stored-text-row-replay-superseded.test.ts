/**
 * The `LB_STORED_TEXT` sentence each entry carries (the terminal list, the CSV, the page's row)
 * said a dead-lettered version is sent by replaying it once its text is restored. A replay leaves a
 * dead letter dead behind a later version of the license accepted at its target (older data would
 * follow the newer, pipelines/dead-letters-taken.ts supersededBy), and the entry stays while the
 * version's delivery at another target is still to send: read as written, the sentence sent the
 * reader to replay a letter no replay sends, as the reason the deliver job wrote and the leaving
 * note already say.
 */
import { describe, expect, it } from 'vitest';
import { reasonText } from '../../pipelines/quarantine-reasons.js';

describe('LB_STORED_TEXT sentence: a dead letter behind a later version accepted at its target', () => {
  it('says a replay leaves it unsent, in both languages', () => {
    const text = reasonText('LB_STORED_TEXT');
    expect(text.zh).toContain('恢复后重放该死信');
    expect(text.zh).toContain('该证照的较新版本已被同一平台接收的，重放不再发送该死信');
    expect(text.en).toContain('a dead-lettered delivery is replayed once it is restored');
    expect(text.en).toContain(
      'unless a later version of the license is accepted at that target by then, behind which a replay leaves it unsent',
    );
  });
});
