/**
 * A gateway's message id is stored and audited (hash-chained: never cleaned later), so one holding
 * the recipient is kept only as a digest of itself (notify-target.ts storableMessageId). A push
 * channel's recipient is an app user id, and a gateway writing it in another case in the id
 * (`push-zhangsan88-0001` for `ZhangSan88`) had the id kept whole.
 */
import { describe, expect, it } from 'vitest';
import { storableMessageId } from '../../adapters/platforms/notify/notify-target.js';

const digest = /^sha256:[0-9a-f]{32}$/;

describe('a message id naming an app user id recipient', () => {
  it('is kept as a digest, whatever the case the gateway wrote it in', () => {
    expect(storableMessageId('push-ZhangSan88-0001', 'ZhangSan88')).toMatch(digest);
    expect(storableMessageId('push-zhangsan88-0001', 'ZhangSan88')).toMatch(digest);
    expect(storableMessageId('PUSH-ZHANGSAN88-0001', 'ZhangSan88')).toMatch(digest);
  });

  it('naming someone else, is kept as written', () => {
    expect(storableMessageId('push-lisi77-0001', 'ZhangSan88')).toBe('push-lisi77-0001');
  });
});
