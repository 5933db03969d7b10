/**
 * hideQuoted runs each of its patterns only on text holding the character every match of it starts
 * with: a quote (QUOTED), `&` or `\` (an escaped quote), `(` (a key's values) and a backtick. A
 * text without them is given back as it is; made to run by a value opened on a line of its own
 * after it, each pattern must find nothing in that text either, or the shortcut hid less than the
 * pattern would.
 */
import { describe, expect, it } from 'vitest';
import { hideQuoted } from '../../core/quoted-values.js';
import { errorTextCorpus } from '../support/error-text-corpus.js';

const STARTS = /['"‘“「『＂＇【《&\\(`]/g;
const OPENED_AFTER: [suffix: string, hidden: string][] = [
  ["'", "'***"],
  ['"', '"***'],
  ['「', '「***'],
  ['《', '《***'],
  ['&quot;', '&quot;***'],
  ['\\u0027', '\\u0027***'],
  ['value is (x', 'value is (***'],
  ['Key (id)=(x', 'Key (id)=(***'],
  ['`', '`***'],
];

describe('hideQuoted on text holding no character a value starts with', () => {
  it('finds nothing in it with every pattern made to run, as the shortcut gives it back', () => {
    const options = [{ backticks: true }, { backticks: true, keepIdentifiers: true }];
    const differ: string[] = [];
    let texts = 0;
    for (const raw of errorTextCorpus(600, 23)) {
      const text = raw.replace(STARTS, '');
      texts += text.length > 0 ? 1 : 0;
      for (const option of options) {
        if (hideQuoted(text, option) !== text) differ.push(`${JSON.stringify(text)} changed`);
        for (const [suffix, hidden] of OPENED_AFTER) {
          const got = hideQuoted(`${text}\n${suffix}`, option);
          if (got !== `${text}\n${hidden}`)
            differ.push(`${JSON.stringify(text)} + ${suffix}: ${JSON.stringify(got)}`);
        }
      }
    }
    expect(differ.slice(0, 5)).toEqual([]);
    expect(texts).toBeGreaterThan(500);
  });

  it('still hides each kind of value, alone in a text', () => {
    const hide = (text: string): string => hideQuoted(text, { backticks: true });
    expect(hide("Duplicate entry '张三' for key")).toBe("Duplicate entry '***' for key");
    expect(hide('holder 「张三」 exists')).toBe('holder 「***」 exists');
    expect(hide('holder &quot;张三&quot; exists')).toBe('holder &quot;***&quot; exists');
    expect(hide('Key (holder_id)=(张三) already exists')).toBe('Key (holder_id)=(***) already exists');
    expect(hide('table `张三` missing')).toBe('table `***` missing');
  });
});
