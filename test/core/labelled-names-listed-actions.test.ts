/**
 * What a platform lists after a name or a problem that is no name: an ethnic group whose first
 * character is a common surname too (`姓名：张三，黎族`, `白族`, `苗族`), which ETHNIC_GROUP left out
 * and so hid as a second name, and what to do about the problem (`持证人：证书过期，更换`, `，更正`,
 * `，续期`), hidden as a name listed after it. Both are shown now, and a name after them is still
 * hidden (`证书过期，更换，***`), as one built on the same characters (`黎明`). Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { expectNoneShown, logged } from '../logging/labelled-fixture.js';

describe('an ethnic group or an action listed after a name or a problem', () => {
  it.each([
    ['姓名：张三，黎族', '姓名：***，黎族'],
    ['姓名：张三，白族', '姓名：***，白族'],
    ['姓名：张三/男性/苗族', '姓名：***/男性/苗族'],
    ['持证人：证书过期，更换', '持证人：证书过期，更换'],
    ['持证人：证书过期，更正', '持证人：证书过期，更正'],
    ['持证人：执照过期，续期', '持证人：执照过期，续期'],
    ['持证人：证件有误，核对', '持证人：证件有误，核对'],
  ])('shows what is no name in %s', (text, hidden) => {
    expect(hideLabelledNames(text)).toBe(hidden);
    expect(logged(text).field).toBe(hidden);
  });

  it.each([
    ['姓名：张三，黎明', '姓名：***，***', ['黎明']],
    ['持证人：证书过期，更换，李四', '持证人：证书过期，更换，***', ['李四']],
    ['姓名：张三，黎族；李四，白族', '姓名：***，黎族；***，白族', ['李四']],
  ])('still hides the names in %s', (text, hidden, names) => {
    expect(hideLabelledNames(text)).toBe(hidden);
    expectNoneShown(text, names);
  });
});
