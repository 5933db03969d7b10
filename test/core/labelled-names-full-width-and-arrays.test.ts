/**
 * A name after its label with a full-width sign or label, as an IME types them (`持证人＝张三`,
 * `XM＝张三`, `ＸＭ：张三`), or in a JSON array under its key (`{"xm":["张三","李四"]}`): the labels'
 * pattern read `=`, `ＸＭ`'s half-width form and one opening quote only, and the names went out
 * whole in a log line. Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { expectNoneShown } from '../logging/labelled-fixture.js';

describe('a full-width sign or label, a JSON array', () => {
  it.each([
    ['持证人＝张三', '持证人＝***', ['张三']],
    ['XM＝张三', 'XM＝***', ['张三']],
    ['ＸＭ：张三', 'ＸＭ：***', ['张三']],
    ['{"xm":["张三","李四"]}', '{"xm":["***","***"]}', ['张三', '李四']],
  ])('hides %s', (text, hidden, names) => {
    expect(hideLabelledNames(text)).toBe(hidden);
    expectNoneShown(text, names);
  });

  it.each(['持证人＝不能为空', '{"xm":["不能为空"]}', '{"xm":[]}'])('keeps %s whole', (text) => {
    expect(hideLabelledNames(text)).toBe(text);
  });
});
