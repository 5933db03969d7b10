/**
 * A name in pinyin written half capitalised, as typed in a hurry (`holder: Zhang san`, `xm: zhang
 * San`, `holder: Wang xiaoming, Li si`): the labels' pattern read a run of capitalised words or one
 * in lower case, so the mask ended at the case's change and the given name went out after it
 * (`holder: *** san`) in a log line, an error's text and a stored reason. Read as one run now, each
 * word by its own case's rule; a message after it stays. Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { expectNoneShown, logged } from '../logging/labelled-fixture.js';

describe('a name in pinyin half capitalised', () => {
  it.each([
    ['holder: Zhang san', 'holder: ***', ['san']],
    ['holderName=Zhang san&x=1', 'holderName=***&x=1', ['san']],
    ['xm: zhang San', 'xm: ***', ['San']],
    ['姓名：Zhang san', '姓名：***', ['san']],
    ['holder: Zhang san is invalid', 'holder: *** is invalid', ['san']],
    ['holder: Wang xiaoming, Li si', 'holder: ***, ***', ['xiaoming', 'si']],
  ])('hides %s', (text, hidden, names) => {
    expect(hideLabelledNames(text)).toBe(hidden);
    expectNoneShown(text, names);
  });

  it.each([
    'holder: Check failed',
    'holder: Real name mismatch',
    'holder: Required field missing',
    'holder: *** pending',
    'holder: *** and others',
    'holder: Name must not be empty',
  ])('keeps %s whole', (text) => {
    expect(hideLabelledNames(text)).toBe(text);
    expect(logged(text).field).toBe(text);
  });
});
