/**
 * More of a driver's words naming a row's values, logged (2238297f read the first ones): PostgreSQL's
 * exclusion constraint names the existing row's key in lower case (`conflicts with existing key
 * (xm)=(…)`), its messages quote a value after words 2238297f did not know (`invalid input syntax
 * for integer` of PostgreSQL 11 and before, `malformed array literal`, `date/time field value out
 * of range`), a value may hold `) ` (`x) y`), and a Chinese line goes on after the key with
 * full-width punctuation (`)，重复`), where the values were hidden to the line's end. Made up, no
 * one's names.
 */
import { describe, expect, it } from 'vitest';
import { logged } from '../logging/labelled-fixture.js';

describe("a driver's values, logged", () => {
  it.each([
    [
      'Key (xm)=(张三) conflicts with existing key (xm)=(李四).',
      'Key (xm)=(***) conflicts with existing key (xm)=(***).',
    ],
    ['invalid input syntax for integer: "张三"', 'invalid input syntax for integer: "***"'],
    ['malformed array literal: "{张三}"', 'malformed array literal: "***"'],
    ['date/time field value out of range: "张三"', 'date/time field value out of range: "***"'],
    ['Key (bz, xm)=(x) y, 张三) already exists.', 'Key (bz, xm)=(***) already exists.'],
    ['detail: Key (xm)=(张三)，重复', 'detail: Key (xm)=(***)，重复'],
    ['键值"(xm)=(张三)" 已经存在', '键值"(xm)=(***)" 已经存在'],
  ])('hides the values of %s', (text, hidden) => {
    const { field, msg } = logged(text);
    expect(field).toBe(hidden);
    expect(msg).toBe(`refused: ${hidden}`);
  });
});
