/**
 * Every config key the docs and the README name in a code span — `serve.metricsAuth.token`,
 * `sources.<name>.readWindow`, `lifecycle.timeZone` — is a key of the config schema, so a user
 * who writes what the docs say gets no "unknown key" error. Only spans that start with a
 * top-level section of the schema are read as keys; file names (`catalog.md`) are not keys.
 */
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../config/schema.js';
import { type CodeSpan, codeSpans, type DocFile, docFiles } from './doc-code.js';

type Node = Readonly<Record<string, unknown>>;

const SECTIONS = Object.keys((configSchema as { properties: Node }).properties);

/**
 * `ledger.url`, `sources.<name>.connection`, `pipelines.*.targets[0]`: a section, then dotted
 * segments; `reconcile.afterRun: light` names a key and a value.
 */
const KEY_PATH = new RegExp(
  `^((?:${SECTIONS.join('|')})(?:\\.[A-Za-z0-9_*<>…-]+(?:\\[[0-9a-z]*\\])*)+)(?:: (.+))?$`,
);

/** `catalog.md`, `ledger.db`: a file a doc names, not a key. */
const FILE_NAME = /^[\w-]+\.(md|ts|js|mjs|json|ya?ml|db|sqlite|html|csv|pem|ofd|png|log|txt)$/;

/** Spans that read as keys but name something else, with what they name. */
const NOT_KEYS: Readonly<Record<string, string>> = {
  'deadlines.yearsWithoutArrangement': 'a field of `licbridge status --json` (docs/lifecycle.md)',
};

/** A segment standing for a name the user chooses: `<name>`, `*`, `…`, `NAME`. */
const WILDCARD = /^(<[^>]+>|\*|…|[A-Z][A-Z_]*)$/;

/** The schema itself and every branch it may take (`oneOf` kinds, `anyOf`, `allOf`, `if/then/else`). */
function branches(s: Node): Node[] {
  const out: Node[] = [s];
  for (const k of ['oneOf', 'anyOf', 'allOf'] as const)
    for (const b of (s[k] as Node[] | undefined) ?? []) out.push(...branches(b));
  for (const k of ['then', 'else'] as const)
    if (s[k] && typeof s[k] === 'object') out.push(...branches(s[k] as Node));
  return out;
}

function children(s: Node, segment: string): Node[] {
  const out: Node[] = [];
  for (const b of branches(s)) {
    if (segment.startsWith('[')) {
      if (b.items && typeof b.items === 'object') out.push(b.items as Node);
      continue;
    }
    const props = b.properties as Record<string, Node> | undefined;
    if (props && Object.hasOwn(props, segment)) out.push(props[segment] as Node);
    for (const [pattern, sub] of Object.entries(
      (b.patternProperties as Record<string, Node> | undefined) ?? {},
    ))
      if (WILDCARD.test(segment) || new RegExp(pattern, 'u').test(segment)) out.push(sub);
    if (b.additionalProperties && typeof b.additionalProperties === 'object')
      out.push(b.additionalProperties as Node);
  }
  return out;
}

/** Whether the dotted path names a key of the schema in some branch. */
function nodesAt(schema: Node, path: string): Node[] {
  const segments = path.split('.').flatMap((s) => {
    const [name, ...rest] = s.split('[');
    return [name as string, ...rest.map((r) => `[${r}`)];
  });
  let at: Node[] = [schema];
  for (const segment of segments) {
    at = at.flatMap((s) => children(s, segment));
    if (at.length === 0) return [];
  }
  return at;
}

/** Whether a value shown for a key is one of its choices, where the key has a closed list of them. */
function isChoice(nodes: readonly Node[], value: string): boolean {
  const shown = value.replace(/^(["'])(.*)\1$/, '$2');
  return nodes
    .flatMap(branches)
    .some(
      (b) =>
        (b.enum === undefined && b.const === undefined) ||
        (b.enum as unknown[] | undefined)?.some((v) => String(v) === shown) ||
        (b.const !== undefined && String(b.const) === shown),
    );
}

/** Every key, and every value of a closed list, the docs' spans name that the schema does not have. */
function docsProblems(docs: readonly DocFile[]): string[] {
  return keySpans(docs).flatMap((k) => {
    const [, path = '', value] = KEY_PATH.exec(k.code) ?? [];
    const nodes = nodesAt(configSchema as Node, path);
    if (nodes.length === 0) return [`${k.file}:${k.line}: \`${path}\` is not a key of the config schema`];
    if (value !== undefined && !value.includes('…') && !value.includes('${') && !isChoice(nodes, value))
      return [`${k.file}:${k.line}: \`${value}\` is not one of the values \`${path}\` takes`];
    return [];
  });
}

const keySpans = (docs: readonly DocFile[]): CodeSpan[] =>
  codeSpans(docs).filter(
    (s) => KEY_PATH.test(s.code) && !FILE_NAME.test(s.code) && !Object.hasOwn(NOT_KEYS, s.code),
  );

describe('the config keys named in docs/*.md and README.md', () => {
  const docs = docFiles();

  it('are found (the guard reads the docs at all)', () => {
    const keys = keySpans(docs);
    expect(keys.length).toBeGreaterThan(100);
    expect(keys.some((k) => k.code === 'serve.metricsAuth.token')).toBe(true);
  });

  it('are told apart from wrong ones (a made-up doc)', () => {
    const text = [
      'Set `serve.metricsAuth.tokn`, `sources.<name>.stream` and `reconcile.afterRun: sometimes`;',
      'not wrong: `sources.<name>.connection.host`, `pipelines.market-food.stream.table`,',
      '`reconcile.afterRun: light`, `queue.redis.sentinels`, `catalog.md`, `ledger.db`, `run.ts`.',
    ].join('\n');
    expect(docsProblems([{ file: 'made-up.md', text }])).toEqual([
      'made-up.md:1: `serve.metricsAuth.tokn` is not a key of the config schema',
      'made-up.md:1: `sources.<name>.stream` is not a key of the config schema',
      'made-up.md:1: `sometimes` is not one of the values `reconcile.afterRun` takes',
    ]);
  });

  it('are keys of the config schema', () => {
    expect(docsProblems(docs)).toEqual([]);
  });
});
