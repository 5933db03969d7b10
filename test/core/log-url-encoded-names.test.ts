/**
 * A URL's query in a log line carries what was sent percent-encoded: a name after its label
 * (`xm=%E5%BC%A0%E4%B8%89`, `?%E5%A7%93%E5%90%8D=…`, 姓名 encoded as the key) went out whole, where
 * an error's text hid every encoded text. Hidden now; other query values, and a message after the
 * label (`xm=不能为空` encoded), stay. Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { logged, stored } from '../logging/labelled-fixture.js';

const shown = (text: string): string[] => {
  const { field, msg } = logged(text);
  return [field, msg, safeErrorText(text), stored(text)];
};

describe('a name percent-encoded after its label, logged', () => {
  it.each([
    ['GET /api?xm=%E5%BC%A0%E4%B8%89&page=1', 'GET /api?xm=***&page=1'],
    ['GET /api?xm=%e5%bc%a0%e4%b8%89', 'GET /api?xm=***'],
    ['GET /api?%E5%A7%93%E5%90%8D=%E5%BC%A0%E4%B8%89&page=2', 'GET /api?%E5%A7%93%E5%90%8D=***&page=2'],
    ['POST /x?czrxm=%E6%9D%8E%E5%9B%9B', 'POST /x?czrxm=***'],
  ])('hides %s', (text, hidden) => {
    expect(logged(text).field).toBe(hidden);
    for (const s of shown(text)) expect(s).not.toMatch(/%E5%BC%A0|%E6%9D%8E|%e5%bc%a0/);
  });

  it.each([
    'GET /api?dwmc=%E6%9F%90%E6%9F%90%E5%85%AC%E5%8F%B8&page=1',
    'GET /api?xm=%E4%B8%8D%E8%83%BD%E4%B8%BA%E7%A9%BA',
    'GET /files/%E8%AF%81%E7%85%A7.pdf',
  ])('keeps %s in a log line', (text) => {
    expect(logged(text).field).toBe(text);
  });
});
