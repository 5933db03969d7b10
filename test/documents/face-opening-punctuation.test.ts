// Opening punctuation may not end a line (避尾, GB/T 15834 and W3C clreq): the opening bracket,
// quotation mark or title mark belongs with what it opens. The wrap kept closing marks off a
// line's start (避头) but broke after an opening one wherever the box ran out: `…餐饮服务（` ended
// one line of a sealed license and `大型餐馆）` began the next, `《` stood alone at a line's end. A
// line now breaks before the opening mark, which goes down with what follows it.
import { describe, expect, it } from 'vitest';
import { wrapInBox } from './fixtures.js';

const SIZE = 5;
const WIDTH = 30;
const OPENING = [...'（「『《〈【〔〖“‘([{［｛'];

const lines = (value: string, maxLines?: number): string[] => wrapInBox(value, maxLines).map((l) => l.text);

describe('opening punctuation', () => {
  it('never ends a line, wherever the box runs out', () => {
    for (const mark of OPENING) {
      for (let at = 1; at < 12; at++) {
        const value = `${'青'.repeat(at)}${mark}${'海'.repeat(12 - at)}`;
        const laid = lines(value);
        expect(laid.join(''), value).toBe(value);
        for (const line of laid) expect(line.endsWith(mark), `${value}: ${line}`).toBe(false);
      }
    }
  });

  it('goes down to the next line with what it opens', () => {
    expect(lines('餐饮服务经营（大型餐馆）')).toEqual(['餐饮服务经营', '（大型餐馆）']);
    expect(lines('青青青青青《海》')).toEqual(['青青青青青', '《海》']);
  });
});
