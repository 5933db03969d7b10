/**
 * The config reference wrote every map as `map of <name>` and defined `<name>` as a lowercase name
 * one chooses, yet `lifecycle.reminders` is keyed by license type code and `calendar.years` by year,
 * which the reference said nowhere. Each map's key is now named after the pattern its schema gives
 * its keys, and each placeholder is defined.
 */
import { describe, expect, it } from 'vitest';
import { renderConfigDocs } from '../../cli/config-docs.js';

describe('the config reference names what each map is keyed by', () => {
  const md = renderConfigDocs();

  it('reminders by license type code, calendar years by year', () => {
    expect(md).toMatch(/^\| `reminders` \| map of `<license-type>` → object \|/m);
    expect(md).toMatch(/^\| `years` \| map of `<year>` → object \|/m);
    expect(md).toContain('## `lifecycle.reminders.<license-type>`\n');
    expect(md).toContain('## `calendar.years.<year>`\n');
    // Maps of names stay as they were.
    expect(md).toMatch(/^\| `signers` \| map of `<name>` → object \|/m);
    expect(md).toContain('## `pipelines.<name>`\n');
  });

  it('defines every placeholder it uses before the tables', () => {
    const legend = md.slice(0, md.indexOf('\n## '));
    const used = new Set([...md.matchAll(/map of `(<[a-z-]+>)`/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual(['<license-type>', '<name>', '<year>']);
    for (const placeholder of used) expect(legend).toContain(`\`${placeholder}\``);
    expect(legend).toMatch(/`<license-type>` for a 21-character license type code/);
    expect(legend).toMatch(/`<year>` for a year/);
  });

  it('refuses a map whose keys it has no word for, rather than calling them names', () => {
    const schema = {
      type: 'object',
      properties: { codes: { type: 'object', patternProperties: { '^[0-9]{6}$': { type: 'string' } } } },
    };
    expect(() => renderConfigDocs(schema)).toThrow(/no placeholder for map keys matching `\^\[0-9\]\{6\}\$`/);
  });
});
