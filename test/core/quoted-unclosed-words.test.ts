/**
 * A quote never closed is hidden to the end of its line (core/quoted-values.ts), so what reads as
 * an opening quote but is none ate the words a user needs after it. An apostrophe between two
 * letters is part of a word (`can't`, `doesn't`, `O'Brien`), an inch or second mark follows a
 * digit (`5' 10"`), and a server's address MySQL quotes in a refused connection is for a person to
 * act on. A value cut short after a quote (`Duplicate entry '张三`) stays hidden to the line's end.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { hideQuoted } from '../../core/quoted-values.js';

// Made up: no one's name.
const HAN = '测试戊己';
const keep = { backticks: true, keepIdentifiers: true };

describe('words that hold no opening quote', () => {
  it("keeps a driver's message with contractions whole", () => {
    for (const text of [
      "Can't connect to MySQL server on 'db.example' (110)",
      "ER_NO_SUCH_TABLE: Table 'test.t_xk' doesn't exist",
      "the key isn't there, don't retry: can't open it",
      "open 'C:\\licbridge\\' failed: file C:\\dir\\ isn't there",
    ]) {
      expect(hideQuoted(text, keep)).toBe(text);
      expect(safeErrorText(text)).toBe(text);
    }
  });

  it('keeps the address MySQL could not connect to', () => {
    const text = "source legacy: can't connect to MySQL server on '127.0.0.1' (111)";
    expect(hideQuoted(text, keep)).toBe(text);
    expect(safeErrorText(text)).toBe(text);
  });

  it('keeps words after an inch mark', () => {
    const text = 'height 5\' 10" recorded twice';
    expect(hideQuoted(text, keep)).toBe(text);
  });

  it('hides a value cut after its quote, an apostrophe between letters in it or not', () => {
    expect(hideQuoted(`Duplicate entry '${HAN}`, keep)).toBe("Duplicate entry '***");
    expect(hideQuoted(`Duplicate entry 'O'Brien ${HAN}`, keep)).toBe("Duplicate entry '***");
    expect(hideQuoted(`Duplicate entry 'O'Brien' for key 'uk_holder'`, keep)).toBe(
      "Duplicate entry '***' for key 'uk_holder'",
    );
    expect(hideQuoted(`invalid input syntax: "${HAN}`, keep)).toBe('invalid input syntax: "***');
    expect(safeErrorText(`Duplicate entry 'O'Brien ${HAN}`)).not.toMatch(/Brien|戊己/);
  });
});
