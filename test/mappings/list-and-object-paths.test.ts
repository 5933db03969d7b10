/**
 * Two rules writing one face field as a list of items and as an object (`surface.addr[].code` and
 * `surface.addr.city`) do not clash by their plain paths (`surface.addr.code`, `surface.addr.city`),
 * so the mapping compiled, and whichever rule came later replaced what the other wrote: `city`
 * vanished from every license, or every code did, without a reason, the mapping reading as if
 * both were written. Such paths are now refused at the later one's line, naming the field.
 */
import { describe, expect, it } from 'vitest';
import type { ConfigError } from '../../core/errors.js';
import { compileMappingText } from '../../mappings/compile.js';

const problems = (text: string): string[] => {
  try {
    compileMappingText(text, '/maps/m.yaml');
    return [];
  } catch (e) {
    return (e as ConfigError).problems.map((p) => `${p.line}:${p.column} ${p.message}`);
  }
};

describe('a field written as a list by one rule and as an object by another', () => {
  it('is refused, the list first', () => {
    expect(
      problems(
        'fields:\n  surface.addr[].code: { from: B, transform: [{ split: "," }] }\n  surface.addr.city: { from: A }\n',
      ),
    ).toEqual([
      '3:3 `surface.addr.city` clashes with `surface.addr[].code`: one writes `surface.addr` as a list of items, the other as an object',
    ]);
  });

  it('is refused, the object first', () => {
    expect(
      problems(
        'fields:\n  surface.addr.city: { from: A }\n  surface.addr[].code: { from: B, transform: [{ split: "," }] }\n',
      ),
    ).toEqual([
      '3:3 `surface.addr[].code` clashes with `surface.addr.city`: one writes `surface.addr` as a list of items, the other as an object',
    ]);
  });

  it('deeper too', () => {
    expect(
      problems(
        'fields:\n  surface.a.b[].c: { from: B }\n  surface.a.b.d: { from: A }\n  surface.a.e: { from: E }\n',
      ),
    ).toEqual([
      '3:3 `surface.a.b.d` clashes with `surface.a.b[].c`: one writes `surface.a.b` as a list of items, the other as an object',
    ]);
  });

  it('two rules zipping one list, and objects side by side, still compile and map', () => {
    const m = compileMappingText(
      'fields:\n  surface.items[].name: { from: N, transform: [{ split: "," }] }\n  surface.items[].code: { from: C, transform: [{ split: "," }] }\n  surface.addr.city: { from: A }\n  surface.addr.street: { from: S }\n',
      '/maps/m.yaml',
    );
    const r = m.map({ N: 'a,b', C: '1,2', A: 'qd', S: 'x' });
    expect(r.ok ? r.fields.surface : r.reasons).toEqual({
      items: [
        { name: 'a', code: '1' },
        { name: 'b', code: '2' },
      ],
      addr: { city: 'qd', street: 'x' },
    });
  });
});
