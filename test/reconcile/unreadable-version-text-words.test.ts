/**
 * A version written as text with a sign or a decimal point around a whole number from 1 (`"+2"`,
 * `"2.0"`) is no version (only digits are) and is named so, not as text that is no number; the
 * Chinese reports have their words for it, the English report shows the adapter's.
 */
import { describe, expect, it } from 'vitest';
import { versionProblem } from '../../adapters/platforms/rest-json/platform-entry.js';
import { unreadableView } from './unreadable-view-fixture.js';

describe('a whole number written with a sign or a decimal point, in the reports', () => {
  it.each(['+2', '2.0'])('names %j by its shape in English and in Chinese', (text) => {
    const reason = versionProblem(text);
    expect(reason).toBe('its version is a whole number written with a sign or a decimal point');
    expect(unreadableView(reason ?? '', 'en')).toBe(`unreadable (listing entry 3: ${reason})`);
    expect(unreadableView(reason ?? '', 'zh')).toBe(
      '无法读取（列表第 3 条：版本号是带正负号或小数点写法的整数）',
    );
  });

  it.each([
    ['2.5', '版本号是小数'],
    ['-1', '版本号是负数'],
    ['0', '版本号是零'],
  ])('names %j as the number it writes, in Chinese %s', (text, zh) => {
    expect(unreadableView(versionProblem(text) ?? '', 'zh')).toBe(`无法读取（列表第 3 条：${zh}）`);
  });
});
