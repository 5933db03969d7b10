/**
 * Every config key the docs and the README name in a code span — `serve.metricsAuth.token`,
 * `sources.<name>.readWindow`, `lifecycle.timeZone` — is a key of the config schema, so a user
 * who writes what the docs say gets no "unknown key" error. Spans that start with a top-level
 * section are read from the top; spans that start with a key holding keys somewhere in the schema
 * (`connection.thickMode`, `tls.ca`) are read from each place that key is, and must lead to a key
 * from one of them. Other spans, and file names (`catalog.md`), are not read as keys.
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

/** `connection.thickMode`, `auth.scheme: hmac`: a key, then dotted segments, from wherever that key is. */
const RELATIVE_PATH = /^(([a-z][A-Za-z0-9]*)(?:\.[A-Za-z0-9_*<>…-]+(?:\[[0-9a-z]*\])*)+)(?:: (.+))?$/;

/** `catalog.md`, `ledger.db`: a file a doc names, not a key. */
const FILE_NAME = /^[\w-]+\.(md|ts|js|mjs|json|ya?ml|db|sqlite|html|csv|pem|ofd|png|log|txt)$/;

/** Spans that read as keys but name something else, with what they name. */
const NOT_KEYS: Readonly<Record<string, string>> = {
  'deadlines.yearsWithoutArrangement': 'a field of `licbridge status --json` (docs/lifecycle.md)',
  'reminders.stopped': 'a field of `licbridge lifecycle run --json` (docs/lifecycle.md)',
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

/** Every place in the schema a key holding keys sits, by the key's name. */
function keysHoldingKeys(schema: Node, into = new Map<string, Node[]>()): Map<string, Node[]> {
  for (const b of branches(schema)) {
    for (const [name, sub] of Object.entries((b.properties as Record<string, Node> | undefined) ?? {})) {
      if (branches(sub).some((x) => x.properties || x.patternProperties))
        into.set(name, [...(into.get(name) ?? []), sub]);
      keysHoldingKeys(sub, into);
    }
    for (const sub of Object.values((b.patternProperties as Record<string, Node> | undefined) ?? {}))
      keysHoldingKeys(sub, into);
    if (b.items && typeof b.items === 'object') keysHoldingKeys(b.items as Node, into);
  }
  return into;
}

const HOLDERS = keysHoldingKeys(configSchema as Node);

interface KeySpan extends CodeSpan {
  readonly path: string;
  readonly value: string | undefined;
  /** Where the path is read from: the schema, or each place its first key is. */
  readonly from: readonly Node[];
}

/** The spans that name config keys, each with where its path starts. */
function keySpans(docs: readonly DocFile[]): KeySpan[] {
  return codeSpans(docs).flatMap((s): KeySpan[] => {
    if (FILE_NAME.test(s.code) || Object.hasOwn(NOT_KEYS, s.code)) return [];
    const top = KEY_PATH.exec(s.code);
    const relative = RELATIVE_PATH.exec(s.code);
    const first = relative?.[2] as string;
    // Each place the first key is, as a schema holding that key alone (`licenseFiles.send` is a
    // target's key as well as a section).
    const from = (HOLDERS.get(first) ?? []).map((h): Node => ({ properties: { [first]: h } }));
    if (top) return [{ ...s, path: top[1] as string, value: top[2], from: [configSchema as Node, ...from] }];
    if (!relative || from.length === 0) return [];
    return [{ ...s, path: relative[1] as string, value: relative[3], from }];
  });
}

/** Every key, and every value of a closed list, the docs' spans name that the schema does not have. */
function docsProblems(docs: readonly DocFile[]): string[] {
  return keySpans(docs).flatMap((k) => {
    const nodes = k.from.flatMap((from) => nodesAt(from, k.path));
    if (nodes.length === 0) return [`${k.file}:${k.line}: \`${k.path}\` is not a key of the config schema`];
    const value = k.value;
    if (value !== undefined && !value.includes('…') && !value.includes('${') && !isChoice(nodes, value))
      return [`${k.file}:${k.line}: \`${value}\` is not one of the values \`${k.path}\` takes`];
    return [];
  });
}

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
      'From a key: `connection.thickMode`, `metricsAuth.token`; `connection.options.useUTC`, `auth.scheme: basic-ish`;',
      'not keys at all: `holder.name`, `process.env`.',
    ].join('\n');
    expect(docsProblems([{ file: 'made-up.md', text }])).toEqual([
      'made-up.md:1: `serve.metricsAuth.tokn` is not a key of the config schema',
      'made-up.md:1: `sources.<name>.stream` is not a key of the config schema',
      'made-up.md:1: `sometimes` is not one of the values `reconcile.afterRun` takes',
      'made-up.md:4: `connection.options.useUTC` is not a key of the config schema',
      'made-up.md:4: `basic-ish` is not one of the values `auth.scheme` takes',
    ]);
  });

  it('are keys of the config schema', () => {
    expect(docsProblems(docs)).toEqual([]);
  });
});
