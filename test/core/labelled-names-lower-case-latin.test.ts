/**
 * A name in English letters after an English label, in lower case as a form or a legacy row holds
 * it (`holder: zhang san`, `holderName=zhangsan`, `xm: li si`) or with an apostrophe
 * (`holderName: O'Brien`, `holder: o'brien`): the labels' pattern read capitalised words only, so a
 * name in lower case went out whole, and of `O'Brien` the part after the apostrophe (`***'Brien`)
 * in a log line. A lower-case run is a name when each word reads as pinyin syllables or as a name
 * with an apostrophe; a message in lower case stays (`holder: required`, `holder: lookup timed
 * out`). Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { expectNoneShown, logged } from '../logging/labelled-fixture.js';

describe('a name in lower case or with an apostrophe after an English label', () => {
  it.each([
    ['holder: zhang san', 'holder: ***', ['zhang', 'san']],
    ['holderName=zhangsan&page=1', 'holderName=***&page=1', ['zhangsan']],
    ['xm: li si', 'xm: ***', [' si']],
    ['holder: ouyang nana not found', 'holder: *** not found', ['ouyang', 'nana']],
    ["holderName: O'Brien", 'holderName: ***', ['Brien']],
    ["holder: o'brien", 'holder: ***', ['brien']],
    ['{"holderName":"o\'brien"}', '{"holderName":"***"}', ['brien']],
    ['guardian: wang xiaoming', 'guardian: ***', ['xiaoming']],
  ])('hides %s', (text, hidden, parts) => {
    expect(hideLabelledNames(text)).toBe(hidden);
    expectNoneShown(text, parts);
  });

  it.each([
    'holder: required',
    'holder: lookup timed out',
    'holder: must not be empty',
    'holder: pending',
    'holder: done',
    'holder: none',
    'holder: missing',
    'xm: null',
    'holderName: invalid format',
    'holder: see logs',
    'name=zhang san',
    'pipeline: market-food',
  ])('keeps %s whole', (text) => {
    expect(hideLabelledNames(text)).toBe(text);
    expect(logged(text).field).toBe(text);
  });
});
