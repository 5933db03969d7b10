/**
 * A mapping constant written unquoted that starts with `&` or `*` is YAML syntax, not text:
 * `const: & Co` and `const: *` are the parser's "Anchor/Alias cannot be an empty string",
 * `const: &Co Ltd` the anchor `Co` on `Ltd` (the field read `Ltd` without a word) and
 * `const: *Co` an alias of no anchor. A mapping file and a mapping test file say what YAML read
 * and to quote the value at its file:line, as the config loader does (core/yaml-anchors.ts).
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { compileMappingText } from '../../mappings/compile.js';
import { parseMappingTestFile } from '../../mappings/mapping-test.js';

function problems(compile: () => unknown): string[] {
  try {
    compile();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${p.file}:${p.line} ${p.message}`);
    throw e;
  }
  return [];
}

const mapping = (value: string) =>
  problems(() => compileMappingText(`fields:\n  surface.x: { const: ${value} }\n`, '/maps/m.yaml'));

describe('a mapping constant starting with & or * unquoted', () => {
  it('`& Co` and `*` say YAML read an anchor or alias with no name, and to quote it', () => {
    expect(mapping('& Co')).toEqual([
      '/maps/m.yaml:2 the value starts with `&` and a space, which YAML reads as an anchor with no name; to keep it as text, quote the whole value ("…" or \'…\')',
    ]);
    expect(mapping('*')).toEqual([
      '/maps/m.yaml:2 the value starts with `*` and a space, which YAML reads as an alias with no name; to keep it as text, quote the whole value ("…" or \'…\')',
    ]);
  });

  it('`&Co Ltd` is refused, not read as `Ltd`', () => {
    expect(mapping('&Co Ltd')).toEqual([
      '/maps/m.yaml:2 the value starts with `&`, which YAML reads as the anchor `&Co` on the text after it (left out of the value), and no alias `*` uses it; to keep the `&` as text, quote the whole value ("…" or \'…\')',
    ]);
  });

  it('`*Co` names the alias of no anchor', () => {
    expect(mapping('*Co')).toEqual([
      '/maps/m.yaml:2 the value starts with `*`, which YAML reads as the alias `*Co` of an anchor `&` the file does not have before it; to keep the `*` as text, quote the whole value ("…" or \'…\')',
    ]);
  });

  it('quoted, or an anchor an alias uses, compiles', () => {
    for (const v of ['"& Co"', "'*'", '"&Co Ltd"', '"*Co"']) expect(mapping(v)).toEqual([]);
    const text = 'fields:\n  surface.x: { const: &co Acme }\n  surface.y: { const: *co }\n';
    const r = compileMappingText(text, '/maps/m.yaml').map({});
    expect(r.ok && r.fields.surface).toEqual({ x: 'Acme', y: 'Acme' });
  });
});

describe('a mapping test file', () => {
  it('gives the same messages at its lines', () => {
    const text = 'cases:\n  - name: a\n    row: { MC: & Co }\n  - name: b\n    row: { MC: &Co Ltd }\n';
    expect(problems(() => parseMappingTestFile(text, '/maps/m.test.yaml'))).toEqual([
      '/maps/m.test.yaml:3 the value starts with `&` and a space, which YAML reads as an anchor with no name; to keep it as text, quote the whole value ("…" or \'…\')',
      '/maps/m.test.yaml:5 the value starts with `&`, which YAML reads as the anchor `&Co` on the text after it (left out of the value), and no alias `*` uses it; to keep the `&` as text, quote the whole value ("…" or \'…\')',
    ]);
    const other = 'cases:\n  - name: b\n    row: { MC: *Zh }\n';
    expect(problems(() => parseMappingTestFile(other, '/maps/m.test.yaml'))).toEqual([
      '/maps/m.test.yaml:3 the value starts with `*`, which YAML reads as the alias `*Zh` of an anchor `&` the file does not have before it; to keep the `*` as text, quote the whole value ("…" or \'…\')',
    ]);
  });
});

describe('an anchor or alias ending in `:`', () => {
  it('is said as the parser says it, not as one with no name', () => {
    const text = 'fields:\n  surface.x:\n    const: &Co: Ltd\n';
    const said = problems(() => compileMappingText(text, '/maps/m.yaml'));
    expect(said).toContain('/maps/m.yaml:3 Anchor ending in : is ambiguous');
    expect(said.join('\n')).not.toContain('with no name');
  });
});

describe('an alias before its anchor', () => {
  it('says YAML looks for the anchor before the alias, which the file has only after it', () => {
    const text = 'fields:\n  surface.y: { const: *co }\n  surface.x: { const: &co Acme }\n';
    const said = problems(() => compileMappingText(text, '/maps/m.yaml'));
    expect(said[0]).toContain(
      '/maps/m.yaml:2 the value starts with `*`, which YAML reads as the alias `*co`',
    );
    expect(said[0]).toContain('before it');
  });
});
