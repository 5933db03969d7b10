/**
 * Why a platform's entry cannot be read back, as the Chinese reports say it. The platform adapter
 * names the reason in English (`it has no licenseId`), and the Chinese HTML and terminal reports
 * printed it so: `province：无法读取（列表第 1 条：it has no licenseId）`. They now say it in Chinese;
 * the English report, and a reason the reports do not know, keep the adapter's words. The reasons
 * are defined once (adapters/platforms/unreadable-reasons.ts), for the adapters and the Chinese
 * words alike, so a reason reworded or added there cannot fall back to English unnoticed.
 */
import { describe, expect, it } from 'vitest';
import { UNREADABLE_REASONS } from '../../adapters/platforms/unreadable-reasons.js';
import { unreadableView } from './unreadable-view-fixture.js';

const view = unreadableView;

describe('the reason a platform entry cannot be read, in the Chinese reports', () => {
  it.each([
    ['it has no licenseId', '无法读取（列表第 3 条：缺少证照标识 licenseId）'],
    ['its version is not a number', '无法读取（列表第 3 条：版本号不是数字）'],
    ['the entry is not an object', '无法读取（列表第 3 条：条目不是 JSON 对象）'],
    ['its license cannot be read', '无法读取（列表第 3 条：证照内容无法识别）'],
    ['its content cannot be hashed', '无法读取（列表第 3 条：证照内容无法计算摘要）'],
  ])('says %s in Chinese', (reason, zh) => {
    expect(view(reason, 'zh')).toBe(zh);
    expect(view(reason, 'en')).toBe(`unreadable (listing entry 3: ${reason})`);
  });

  it('keeps a reason it does not know as the platform adapter gave it', () => {
    expect(view('a reason from elsewhere', 'zh')).toBe('无法读取（列表第 3 条：a reason from elsewhere）');
  });

  it.each(Object.entries(UNREADABLE_REASONS))(
    'has Chinese words for every reason an adapter gives (%s)',
    (_, reason) => {
      const zh = view(reason, 'zh');
      expect(zh).not.toContain(reason);
      expect(zh).toMatch(/^无法读取（列表第 3 条：.*[\u4e00-\u9fff].*）$/);
    },
  );
});
