/**
 * Names in lower case after a label, listed or written as a form lets them be: parted by `/`
 * (`holder: zhang san/li si`) or a full-width comma (`holder: zhang san，li si`), two spaces
 * between a name's words (`xm: zhang  san`), a typographic apostrophe (`holder: o’brien`,
 * `holderName: O’Brien`). The run of a name's words ended short of them, and a name or its end
 * went out in a log line, an error's text and a stored reason (`*** san/li si`, `***，li si`,
 * `***  san`, `***’brien`). Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { expectNoneShown } from '../logging/labelled-fixture.js';

describe('names in lower case listed or spaced', () => {
  it.each([
    ['holder: zhang san/li si', 'holder: ***/***', ['zhang', 'li si']],
    ['holder: zhangsan/lisi', 'holder: ***/***', ['zhangsan', 'lisi']],
    ['holder: zhang san，li si', 'holder: ***，***', ['zhang', 'li si']],
    ['xm: zhang  san', 'xm: ***', ['zhang', 'san']],
    ['holder: o’brien', 'holder: ***', ['brien']],
    ['holderName: O’Brien', 'holderName: ***', ['Brien']],
  ])('hides %s', (text, hidden, parts) => {
    expect(hideLabelledNames(text)).toBe(hidden);
    expectNoneShown(text, parts);
  });

  it.each(['holder: data/file', 'xm: a/b', 'holder: can not  be empty', 'holder: see logs/run'])(
    'keeps %s whole',
    (text) => {
      expect(hideLabelledNames(text)).toBe(text);
    },
  );
});
