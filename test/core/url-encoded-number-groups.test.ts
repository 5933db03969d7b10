/**
 * A URL's query carries an ID or mobile number whose groups an encoded space or dash parts
 * (`110105%2019491231%20002X`, `138%200013%208000`), or a form's `+` for a space
 * (`138+0013+8000`). A log line showed each whole, and an error's text and a stored reason the
 * mobile numbers whole and of the ID numbers their area, the end of the birth date and the
 * sequence. Masked now; numbers that are no person's stay. Made up, no one's numbers.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { logged, stored } from '../logging/labelled-fixture.js';

const shown = (text: string): string[] => {
  const { field, msg } = logged(text);
  return [field, msg, safeErrorText(text), stored(text)];
};

describe('an ID or mobile number whose groups an encoded separator parts', () => {
  it.each([
    ['GET /api?sfzh=110105%2019491231%20002X', ['110105', '19491231', '1231']],
    ['GET /api?sfzh=110105+19491231+002X', ['110105', '19491231', '1231']],
    ['GET /api?sfzh=110105%2D19491231%2D002X', ['110105', '19491231', '1231']],
    ['GET /api?mobile=138%200013%208000', ['138%200013', '0013']],
    ['GET /api?mobile=138+0013+8000', ['138+0013', '0013']],
    ['GET /api?mobile=138%2D0013%2D8000', ['138%2D0013', '0013']],
  ])('masks %s', (text, parts) => {
    for (const s of shown(text)) for (const part of parts) expect(s).not.toContain(part);
  });

  it.each([
    'GET /api?from=2024-01-01+00:00:00&to=2024-01-31',
    'GET /api?page=1&size=20&sort=id%20desc',
    'GET /api?amount=1380+0013',
  ])('keeps %s in a log line', (text) => {
    expect(logged(text).field).toBe(text);
  });
});
