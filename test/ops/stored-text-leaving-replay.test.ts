/**
 * The `LB_STORED_TEXT` note on leaving the worklist said a dead-lettered version's entry leaves once
 * the platform answers its replayed send. Since the answer closes the record only when no delivery of
 * the version is left for a replay or a run to send (quarantine-unsendable-stored-text.ts), an answer
 * at one target leaves it on the list while the version's dead letter at another still waits.
 */
import { describe, expect, it } from 'vitest';
import { leavingText } from '../../pipelines/quarantine-reasons.js';

describe('LB_STORED_TEXT leaving note: a replayed send answered at one target', () => {
  it('says the entry leaves once no delivery of the version is left to send, not on one answer', () => {
    const leaving = leavingText('LB_STORED_TEXT');
    expect(leaving?.en).not.toContain('once the platform answers its replayed send');
    expect(leaving?.en).toContain('once no delivery of the version is left for a replay or a run to send');
    expect(leaving?.en).toContain('dead letter at another target still waits');
    expect(leaving?.zh).not.toContain('平台对该次发送作出答复（已提交或已接收）后移除');
    expect(leaving?.zh).toContain('该版本再无可由重放或运行发送的投递时移除');
    expect(leaving?.zh).toContain('另一平台的死信仍待重放');
  });
});
