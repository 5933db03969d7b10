/**
 * A value whose closing quote never comes (a legacy row's text cut at a column's length, a driver's
 * message cut at its own limit: `holder "Zhang San`, `姓名「张三`) was no quoted value for
 * hideQuoted (core/quoted-values.ts): what followed the opening quote went out whole in an error's
 * text and a log line, a holder's name among it. Its end cannot be told, so it is hidden to the end
 * of its line, as a key's values in a `(` never closed are.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { failureMessage } from '../../core/errors.js';
import { hideQuoted } from '../../core/quoted-values.js';
import { lineLogger } from '../support/log-lines.js';

// Made up: no one's name.
const HAN = '测试甲乙';
const PINYIN = 'Ceshi Jiayi';
const keep = { backticks: true, keepIdentifiers: true };

const OPENERS = ["'", '"', '‘', '“', '「', '『', '＂', '＇', '【', '《', '`'] as const;

describe('a quote never closed', () => {
  for (const open of OPENERS) {
    it(`hides what follows ${open} to the end of the line`, () => {
      expect(hideQuoted(`holder ${open}${PINYIN}`, keep)).toBe(`holder ${open}***`);
      expect(hideQuoted(`姓名${open}${HAN}`, keep)).toBe(`姓名${open}***`);
      expect(hideQuoted(`entry ${open}${HAN}, 2024\nnext line`, keep)).toBe(`entry ${open}***\nnext line`);
    });
  }

  it('hides a cut value that reads as an identifier: its end is not there to tell', () => {
    expect(hideQuoted("Duplicate entry 'zhangsan' for key 'zhangs", keep)).toBe(
      "Duplicate entry '***' for key '***",
    );
    expect(hideQuoted('invalid input value for enum xb: "wangwu', keep)).toBe(
      'invalid input value for enum xb: "***',
    );
  });

  it("hides a cut literal (N'…) and a cut value after an escaped quote", () => {
    expect(hideQuoted(`INSERT … VALUES (N'${HAN}`, keep)).toBe("INSERT … VALUES (N'***");
    expect(hideQuoted(`invalid input: "Zhang \\"San`, keep)).toBe('invalid input: "***');
  });

  it("reads a path's closing backslash as the end, so a cut value after it stays hidden", () => {
    expect(hideQuoted(`open 'C:\\dir\\' for '${PINYIN}`, keep)).toBe(`open 'C:\\dir\\' for '***`);
    expect(hideQuoted(`entry 'O\\'Neil Wang' for key 'uk_holder'`, keep)).toBe(
      "entry '***' for key 'uk_holder'",
    );
  });

  it('keeps words after a value that is closed', () => {
    expect(hideQuoted(`Duplicate entry '${HAN}' for key 'uk_holder'`, keep)).toBe(
      "Duplicate entry '***' for key 'uk_holder'",
    );
  });

  it("hides it in an error's text, a stored failure and a log line", () => {
    const texts = [
      `source legacy: query failed: Duplicate entry '${HAN}`,
      `invalid input syntax for type integer: "${PINYIN}`,
      `Conversion failed when converting the nvarchar value '${HAN}`,
      `平台拒收：持证人「${HAN}`,
    ];
    for (const text of texts) {
      expect(safeErrorText(text)).not.toContain(HAN.slice(1));
      expect(safeErrorText(text)).not.toContain('Jiayi');
      expect(failureMessage(new Error(text)).message).not.toMatch(/甲乙|Jiayi/);
      const { logger, lines } = lineLogger();
      logger.error({ err: new Error(text) }, 'query failed');
      logger.warn(new Error(text));
      expect(lines).toHaveLength(2);
      expect(lines.join('\n')).not.toMatch(/甲乙|Jiayi/);
    }
  });

  it('hides what it hid again unchanged', () => {
    const once = safeErrorText(`holder "${PINYIN}`);
    expect(once).toBe('holder "***');
    expect(safeErrorText(once)).toBe(once);
  });
});
