/**
 * The reasons an entry's version is no version (its shape: a fraction, a negative number, zero, too
 * large) in the Chinese reports: each has its words, and the English report shows the adapter's.
 */
import { describe, expect, it } from 'vitest';
import { unreadableView } from './unreadable-view-fixture.js';

const view = unreadableView;

describe('the shape of a version that is none, in the Chinese reports', () => {
  it.each([
    ['its version is a fraction', '无法读取（列表第 3 条：版本号是小数）'],
    ['its version is a negative number', '无法读取（列表第 3 条：版本号是负数）'],
    ['its version is zero', '无法读取（列表第 3 条：版本号是零）'],
    [
      'its version is a number too large to hold exactly',
      '无法读取（列表第 3 条：版本号过大，无法精确表示）',
    ],
  ])('says %s in Chinese', (reason, zh) => {
    expect(view(reason, 'zh')).toBe(zh);
    expect(view(reason, 'en')).toBe(`unreadable (listing entry 3: ${reason})`);
  });
});
