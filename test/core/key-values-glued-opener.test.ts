/**
 * A key's or a row's values written after `=(` with no space, as PostgreSQL writes a key in its
 * details (`Key (holder_name)=(张三) already exists.`, an exclusion constraint's `conflicts with
 * existing key (…)=(…)`, a key of an expression `Key (lower(holder_name))=(…)`) and as a statement
 * a driver quotes may (`values=('张三', …`), are hidden whole, quoted or not, closed or cut short
 * (core/quoted-values.ts KEY_VALUE_OPENER). The words around them stay.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { hideQuoted } from '../../core/quoted-values.js';

// Made up: no one's names.
const HAN = '测试戊己';
const OTHER = '演示庚辛';
const keep = { backticks: true, keepIdentifiers: true };

describe('values after =( with no space', () => {
  it.each([
    [`Key (holder_name)=(${HAN}) already exists.`, 'Key (holder_name)=(***) already exists.'],
    [`Key (holder_name)=('${HAN}') already exists.`, 'Key (holder_name)=(***) already exists.'],
    [`Key (lower(holder_name))=(${HAN}) already exists.`, 'Key (lower(holder_name))=(***) already exists.'],
    [
      `Key (holder_name, period)=(${HAN}, [2024-01-01,2025-01-01)) conflicts with existing key (holder_name, period)=(${OTHER}, [2024-06-01,2025-06-01)).`,
      'Key (holder_name, period)=(***) conflicts with existing key (holder_name, period)=(***).',
    ],
    [
      `Key (holder_name)=(${HAN}) is not present in table "t_holder".`,
      'Key (holder_name)=(***) is not present in table "t_holder".',
    ],
    [`insert into t_xk values=('${HAN}', 1)`, 'insert into t_xk values=(***)'],
    [`insert into t_xk values=('${HAN}'`, 'insert into t_xk values=(***'],
    [`Key (holder_name)=(${HAN}`, 'Key (holder_name)=(***'],
  ])('hides the values in %s', (text, hidden) => {
    expect(hideQuoted(text, keep)).toBe(hidden);
    const shown = safeErrorText(text);
    expect(shown).not.toContain('戊己');
    expect(shown).not.toContain('庚辛');
  });
});
