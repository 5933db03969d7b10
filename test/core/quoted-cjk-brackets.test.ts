/**
 * A platform's answer or a form in Chinese quotes a value with lenticular brackets (`持证人【张三】`)
 * or angle title marks (`《张三》`) as it does with corner brackets and full-width quotes: what they
 * held went out whole in an error's text and a log line, a holder's name among it, which has no
 * shape to mask. Hidden now as between any quotes; the brackets stay, so the message still reads.
 */
import { describe, expect, it } from 'vitest';
import { failureMessage } from '../../core/errors.js';
import { hideQuoted } from '../../core/quoted-values.js';
import { lineLogger } from '../support/log-lines.js';

// Made up: no one's name.
const NAME = '测试甲';
const keep = { backticks: false, keepIdentifiers: true };

describe('values in Chinese brackets', () => {
  for (const [open, close] of [
    ['【', '】'],
    ['《', '》'],
  ] as const) {
    it(`hides what ${open}${close} hold`, () => {
      const text = `平台拒收：持证人${open}${NAME}${close}与证件不符`;
      expect(hideQuoted(text, keep)).toBe(`平台拒收：持证人${open}***${close}与证件不符`);
      expect(failureMessage(new Error(text)).message).not.toContain(NAME);
      const { logger, lines } = lineLogger();
      logger.warn(new Error(text));
      expect(lines.join('\n')).not.toContain(NAME);
    });
  }

  it('hides each of two bracketed values on a line', () => {
    expect(hideQuoted(`【${NAME}】和《${NAME}》`, keep)).toBe('【***】和《***》');
  });
});
