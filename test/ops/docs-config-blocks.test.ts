// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` is config reference syntax.
/**
 * The YAML config the docs show loads as written.
 * - A whole config — a ```yaml block with the keys every config needs (`ledger:` and `catalog:`)
 *   at its top level — loads through the loader without a problem, its `${env:…}` secrets set.
 * - A config fragment — a ```yaml block whose top-level keys are all config sections, such as
 *   `pipelines:` with one pipeline's `schedule:` — has no key, type or value the schema refuses;
 *   what it leaves out (required keys, the pipeline's source) is the rest of the user's config.
 *   A block of one pipeline's keys alone (`stream: { table: …, key: … }`) is read as a pipeline.
 * Mapping files, mapping tests and other YAML have other top-level keys and are not read here.
 */
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatConfigError, parseConfig } from '../../config/loader.js';
import { configSchema } from '../../config/schema.js';
import { VALIDATOR_OPTIONS } from '../../config/validator-options.js';
import { ConfigError } from '../../core/errors.js';
import { usePrebuiltConfigValidator } from '../support/prebuilt-config-validator.js';
import { type CodeBlock, codeBlocks, type DocFile, docFiles, ROOT } from './doc-code.js';

await usePrebuiltConfigValidator();

const SECTIONS = new Set(Object.keys((configSchema as { properties: object }).properties));
const topKeys = (b: CodeBlock): string[] =>
  [...b.body.matchAll(/^([A-Za-z][\w-]*):/gm)].map((m) => m[1] as string);

/** The keys of one pipeline (`pipelines.<name>`), in any of its branches. */
const PIPELINE_KEYS = new Set(
  Object.values(
    (configSchema as { properties: { pipelines: { patternProperties: Record<string, object> } } }).properties
      .pipelines.patternProperties,
  ).flatMap((p) =>
    [p, ...((p as { oneOf?: object[] }).oneOf ?? [])].flatMap((b) =>
      Object.keys((b as { properties?: object }).properties ?? {}),
    ),
  ),
);

/** A fragment, and where it sits in a config: at the top, or as one pipeline (`stream: …`). */
interface Fragment extends CodeBlock {
  readonly pipeline: boolean;
}

/** The docs' YAML blocks that are whole configs, and those that are fragments of one. */
function configBlocks(docs: readonly DocFile[]): { whole: CodeBlock[]; fragments: Fragment[] } {
  const yamlBlocks = codeBlocks(docs).filter((b) => b.lang === 'yaml' || b.lang === 'yml');
  const whole = yamlBlocks.filter((b) => topKeys(b).includes('ledger') && topKeys(b).includes('catalog'));
  const fragments = yamlBlocks.flatMap((b): Fragment[] => {
    const keys = topKeys(b);
    if (whole.includes(b) || keys.length === 0) return [];
    if (keys.every((k) => SECTIONS.has(k))) return [{ ...b, pipeline: false }];
    if (keys.every((k) => PIPELINE_KEYS.has(k))) return [{ ...b, pipeline: true }];
    return [];
  });
  return { whole, fragments };
}

/**
 * The schema with no key required, but for the kind tags `oneOf` branches are told apart by and
 * the keys that tell apart the branches of a `oneOf` without a tag (`queue.redis`: Sentinel or Cluster).
 */
function relaxed(schema: unknown, tags: ReadonlySet<string>, keepRequired = false): unknown {
  if (Array.isArray(schema)) return schema.map((s) => relaxed(s, tags));
  if (schema === null || typeof schema !== 'object') return schema;
  const node = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'required' && Array.isArray(v)) out[k] = keepRequired ? v : v.filter((r) => tags.has(r));
    else if (k === 'oneOf' && Array.isArray(v) && node.discriminator === undefined)
      out[k] = v.map((branch) => relaxed(branch, tags, true));
    else out[k] = typeof v === 'object' ? relaxed(v, tags) : v;
  }
  return out;
}

function discriminatorTags(schema: unknown, into = new Set<string>()): Set<string> {
  if (schema === null || typeof schema !== 'object') return into;
  const d = (schema as { discriminator?: { propertyName?: string } }).discriminator;
  if (d?.propertyName) into.add(d.propertyName);
  for (const v of Object.values(schema)) discriminatorTags(v, into);
  return into;
}

const { $schema: _, ...schemaBody } = configSchema as Record<string, unknown>;
const validateFragment = new Ajv({ ...VALIDATOR_OPTIONS, useDefaults: false }).compile(
  relaxed(schemaBody, discriminatorTags(configSchema)) as object,
);

/** `${env:X}` and `${file:p}` references as the loader hands them on: resolved, to a test value. */
function withSecrets(value: unknown): unknown {
  if (typeof value === 'string')
    return value.replace(/\$\{(env|file):[^}]*\}/g, 'docs-secret-0123456789abcdef');
  if (Array.isArray(value)) return value.map(withSecrets);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withSecrets(v)]));
  return value;
}

const describeError = (e: ErrorObject): string =>
  `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.params && 'additionalProperty' in e.params ? ` \`${String(e.params.additionalProperty)}\`` : ''}`;

/** A value for `${env:NAME}`: a URL where the name says one, else a secret long enough for any token. */
const envValue = (name: string): string =>
  /REDIS.*URL/.test(name)
    ? 'redis://127.0.0.1:6379'
    : /URL/.test(name)
      ? 'postgres://licbridge@127.0.0.1:5432/licbridge'
      : 'docs-secret-0123456789abcdef';

/** The environment a block's `${env:…}` references name, each set. */
const envOf = (b: CodeBlock): NodeJS.ProcessEnv =>
  Object.fromEntries(
    [...b.body.matchAll(/\$\{env:([A-Za-z_]\w*)/g)].map((m) => [m[1], envValue(m[1] as string)]),
  );

/** What the loader refuses in each whole config, as `file:line: problems`. */
function wholeProblems(blocks: readonly CodeBlock[]): string[] {
  return blocks.flatMap((b) => {
    try {
      parseConfig(b.body, { file: join(ROOT, b.file.replace(/\.md$/, `-${b.line}.yaml`)), env: envOf(b) });
      return [];
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      return [`${b.file}:${b.line}: ${formatConfigError(e)}`];
    }
  });
}

/** What the schema refuses in each fragment, as `file:line: /path message`. */
function fragmentProblems(blocks: readonly Fragment[]): string[] {
  return blocks.flatMap((b) => {
    const data = withSecrets(parse(b.body));
    if (validateFragment(b.pipeline ? { pipelines: { 'docs-example': data } } : data)) return [];
    return (
      (validateFragment.errors ?? [])
        // `[2027-01-01, …]`: a value the doc leaves out is not a value it shows.
        .filter((e) => e.keyword !== 'if' && !(typeof e.data === 'string' && e.data.includes('…')))
        .map((e) => `${b.file}:${b.line}: ${describeError(e)}`)
    );
  });
}

describe('the YAML config in docs/*.md and README.md', () => {
  const { whole, fragments } = configBlocks(docFiles());

  it('is found: fragments of config sections and of a pipeline are read (mapping files are not)', () => {
    expect(fragments.filter((b) => !b.pipeline).length).toBeGreaterThanOrEqual(5);
    expect(fragments.some((b) => b.pipeline && /^stream:/m.test(b.body))).toBe(true);
    expect(fragments.every((b) => !/^fields:/m.test(b.body))).toBe(true);
  });

  it('is told apart from wrong config (a made-up doc)', () => {
    const text = [
      '```yaml',
      'ledger: { url: "${env:LEDGER_URL}" }',
      'catalog: ./catalog',
      'queue: { redis: "${env:REDIS_URL}", prefix: licbridge }',
      'serve: { metricsAuth: { token: "${env:METRICS_TOKEN}" } }',
      '```',
      '```yaml',
      'ledger: { url: sqlite://./ledger.db }',
      'catalog: ./catalog',
      'serve: { metricsAuth: { tokn: x } }',
      '```',
      '```yaml',
      'pipelines:',
      '  food-business-licenses:',
      '    schedule: "*/15 * * * *"',
      'reconcile: { afterRun: sometimes }',
      '```',
      '```yaml',
      'stream: { table: T_SPXK_XKZ, key: ID, cursr: GXSJ }',
      '```',
      '```yaml',
      'fields:',
      '  number: { from: XKZBH }',
      '```',
    ].join('\n');
    const blocks = configBlocks([{ file: 'made-up.md', text }]);
    expect(blocks.whole.map((b) => b.line)).toEqual([2, 8]);
    expect(blocks.fragments.map((b) => b.line)).toEqual([13, 19]);
    const wholeWrong = wholeProblems(blocks.whole);
    expect(wholeWrong).toHaveLength(1);
    expect(wholeWrong[0]).toMatch(/^made-up\.md:8: [\s\S]*tokn/);
    expect(fragmentProblems(blocks.fragments)).toEqual([
      'made-up.md:13: /reconcile/afterRun must be equal to one of the allowed values',
      'made-up.md:19: /pipelines/docs-example/stream must NOT have additional properties `cursr`',
    ]);
  });

  it('whole configs load without a problem, secrets given by the environment', () => {
    expect(wholeProblems(whole)).toEqual([]);
  });

  it('fragments hold no key, type or value the config schema refuses', () => {
    expect(fragmentProblems(fragments)).toEqual([]);
  });
});
