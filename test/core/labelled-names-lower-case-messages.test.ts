/**
 * A message in lower case after a name's label, whose words read as pinyin syllables too (`holder:
 * can not be empty`, `holder: cache miss`, `xm: page 2`, `xm: date`, `holder: male`): ed7b0369
 * read a lower-case run as a name as far as each word did, and hid its first words or all of it in
 * a log line, an error's text and a stored reason. A run in lower case is a name now when two to
 * four of its words read as pinyin syllables (GB/T 16159's table), or one word of two syllables or
 * more stands as the whole value, or a word holds an apostrophe. Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { expectNoneShown, expectShownWhole } from '../logging/labelled-fixture.js';

describe('a message in lower case after a name label', () => {
  it.each([
    'holder: can not be empty',
    'holder: to be confirmed',
    'holder: code mismatch',
    'holder: cache miss',
    'holder: one of owner, agent',
    'holder: run 6f1c2a3b-1111-2222-3333-444455556666 failed',
    'xm: page 2',
    'xm: date',
    'xm: long',
    'lxr: time',
    'xm: zone',
    'holder: male',
    'holder: female',
    'holder: hide',
    'holderName: nan',
  ])('keeps %s whole', (text) => {
    expectShownWhole(text);
  });

  it.each([
    ['holder: zhang san', 'holder: ***', ['zhang', 'san']],
    ['xm: li si', 'xm: ***', [' si']],
    ['holderName=zhangsan&page=1', 'holderName=***&page=1', ['zhangsan']],
    ['holder: xiaoming', 'holder: ***', ['xiaoming']],
    ['holder: zhangsan not found', 'holder: *** not found', ['zhangsan']],
    ['holder: wang xiaoming failed', 'holder: *** failed', ['xiaoming']],
    ['holder: zhangsan approved', 'holder: *** approved', ['zhangsan']],
    ['holder: lisi pending review', 'holder: *** pending review', ['lisi']],
    ["holder: d'angelo", 'holder: ***', ['angelo']],
  ])('hides %s', (text, hidden, parts) => {
    expect(hideLabelledNames(text)).toBe(hidden);
    expectNoneShown(text, parts);
  });
});
