/**
 * hideQuoted (core/quoted-values.ts) hides a value whole when a backslash-escaped quote stands
 * inside it, and reads Chinese corner brackets and full-width quotes as quotes.
 */
import { describe, expect, it } from 'vitest';
import { hideQuoted } from '../../core/quoted-values.js';

const keep = { backticks: false, keepIdentifiers: true };

describe('hideQuoted', () => {
  it('hides a value holding an escaped quote whole', () => {
    expect(hideQuoted('invalid input: "Zhang \\"San\\"" at column 3', keep)).toBe(
      'invalid input: "***" at column 3',
    );
    expect(hideQuoted("Duplicate entry 'O\\'Neil Wang' for key 'uk_holder'", keep)).toBe(
      "Duplicate entry '***' for key 'uk_holder'",
    );
  });

  it('lets a backslash ending a value close it', () => {
    expect(hideQuoted("open 'C:\\dir\\' failed", keep)).toBe("open 'C:\\dir\\' failed");
    expect(hideQuoted("entry '张三\\' failed", keep)).toBe("entry '***' failed");
  });

  it('hides what corner brackets and full-width quotes hold', () => {
    expect(hideQuoted('持证人「张三」已存在', keep)).toBe('持证人「***」已存在');
    expect(hideQuoted('持证人『张三』已存在', keep)).toBe('持证人『***』已存在');
    expect(hideQuoted('持证人＂张三＂已存在', keep)).toBe('持证人＂***＂已存在');
    expect(hideQuoted('持证人＇张三＇已存在', keep)).toBe('持证人＇***＇已存在');
  });
});
