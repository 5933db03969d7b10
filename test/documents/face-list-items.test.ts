// A list field's items are joined by the box's `join`. An empty item (a CHAR(n) column trimmed to
// nothing, an optional item the source left blank) printed as a doubled separator, `热食类、、冷食类`,
// and a null one (a list the surface schema lets hold nulls) as the word `null` on the sealed
// license, `热食类、null、冷食类`, where a null field alone prints nothing. They are left out, as the
// mapping's `join` transform leaves them out.
import { describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { oneBoxFace } from './fixtures.js';

function printed(items: readonly unknown[], join?: string): string[] {
  const { template, license } = oneBoxFace(
    {
      field: 'surface.businessItems',
      prefix: '经营项目：',
      join,
      x: 30,
      y: 122,
      width: 130,
      size: 4.5,
      maxLines: 3,
    },
    '',
  );
  (license.surface as Record<string, unknown>).businessItems = items;
  return layoutFace(template, license).lines.map((l) => l.text);
}

describe('a list field on a face', () => {
  it('leaves out empty and null items, and holes', () => {
    expect(printed(['热食类', '', '冷食类'])).toEqual(['经营项目：热食类、冷食类']);
    expect(printed(['热食类', null, '冷食类', undefined])).toEqual(['经营项目：热食类、冷食类']);
    // biome-ignore lint/suspicious/noSparseArray: a hole, as a list built by index may have.
    expect(printed([, '热食类', , '冷食类'], '；')).toEqual(['经营项目：热食类；冷食类']);
    expect(printed([null, ''])).toEqual(['经营项目：']);
  });

  it('prints the other items as they are, numbers and padded text among them', () => {
    expect(printed(['热食类', 3, '冷食类  '])).toEqual(['经营项目：热食类、3、冷食类  ']);
  });
});
