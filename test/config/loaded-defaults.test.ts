import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TARGET_KINDS } from '../../adapters/platforms/kinds.js';
import { SIGNER_KINDS } from '../../adapters/signers/kinds.js';
import { loadConfig } from '../../config/loader.js';
import type { Schema } from '../../config/schema/builders.js';
import { source as sourceSchema } from '../../config/schema/sources.js';
import { configSchema } from '../../config/schema.js';
import { SOURCE_KINDS } from '../../connectors/kinds.js';

/**
 * A config that writes only what is required, with one component of every registered kind: the
 * loaded config must hold every default the schema declares. The expected values are read from
 * the schema itself, so this checks that the loader applied them, not what they are.
 */

const props = (s: unknown): Record<string, Schema> =>
  ((s as Schema).properties ?? {}) as Record<string, Schema>;

/** The schema's `default` of each property of `s` that declares one. */
function defaultsOf(s: unknown): [string, unknown][] {
  return Object.entries(props(s))
    .filter(([, p]) => 'default' in p)
    .map(([k, p]) => [k, p.default]);
}

const sourceVariant = (kind: string): Schema =>
  ((sourceSchema.oneOf as Schema[]).find((b) => ((props(b).kind?.enum ?? []) as string[]).includes(kind)) ??
    {}) as Schema;

const required: Record<string, string> = {
  'rest-json': 'url: "http://127.0.0.1:1"',
  'soap-xml': 'url: "http://127.0.0.1:1"',
  'front-db': 'client: sqlite, path: ./front.db, dataSource: "11370211MB1234567X"',
  notify: 'url: "http://127.0.0.1:1"',
  'local-sm2': 'key: "not read here", sealId: "1"',
  remote: 'url: "http://127.0.0.1:1", sealId: "1"',
};

function sourceLine(kind: string, shape: string): string {
  if (shape === 'sql-file') return `path: ./${kind}.db`;
  if (shape === 'sql-server') return 'connection: { host: db }';
  return 'path: ./exports, recordPath: Root/Row';
}

const text = [
  'ledger: { url: "sqlite://:memory:" }',
  'catalog: ./catalog',
  'sources:',
  ...SOURCE_KINDS.map((k) => `  s-${k.kind}: { kind: ${k.kind}, ${sourceLine(k.kind, k.shape)} }`),
  // Nested sections that carry defaults of their own when present.
  '  charset-repair: { kind: sqlite, path: ./r.db, charset: { repair: [NAME] } }',
  'signers:',
  ...SIGNER_KINDS.map((k) => `  g-${k.kind}: { kind: ${k.kind}, ${required[k.kind]} }`),
  'targets:',
  ...TARGET_KINDS.map((k) => `  t-${k.kind}: { kind: ${k.kind}, ${required[k.kind]} }`),
  '  oauth: { kind: rest-json, url: "http://127.0.0.1:1", codes: {}, auth: { scheme: oauth2, tokenUrl: "http://127.0.0.1:2", clientId: a, clientSecret: b } }',
  'pipelines:',
  '  p:',
  '    source: s-sqlite',
  '    stream: { table: T, key: ID }',
  '    mapping: ./m.yaml',
  '    licenseType: 11370200MB1234567X001',
  '    issuer: { name: x, code: 11370211MB1234567X }',
  '    signer: g-local-sm2',
  '    targets: [t-rest-json]',
  'seals:',
  '  s: { file: ./seal.sel, signer: g-local-sm2 }',
  'calendar: { years: { "2030": {} } }',
  '',
].join('\n');

// Read from a file through loadConfig, as a run reads it: parseConfig alone, never handed the
// validator the build compiles (test/support/config-validator.ts from the sources), compiled one
// from the schema, which was most of this file's time.
const dir = mkdtempSync(join(tmpdir(), 'licbridge-defaults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'licbridge.yaml'), text);
const config = (await loadConfig({ file: join(dir, 'licbridge.yaml') })) as unknown as Record<
  string,
  Record<string, Record<string, unknown>>
>;

describe('a loaded minimal config holds every default its schema declares', () => {
  const top = props(configSchema);

  it.each(Object.keys(top).filter((k) => defaultsOf(top[k]).length > 0))('section %s', (section) => {
    for (const [key, value] of defaultsOf(top[section])) {
      // `calendar.years` is written above, to reach the defaults of a year.
      if (`${section}.${key}` !== 'calendar.years')
        expect(config[section]?.[key], `${section}.${key}`).toEqual(value);
    }
  });

  it.each(TARGET_KINDS.map((k) => [k.kind, k.schema] as const))('target kind %s', (kind, schema) => {
    const t = config.targets?.[`t-${kind}`];
    for (const [key, value] of defaultsOf(schema))
      expect(t?.[key], `targets.t-${kind}.${key}`).toEqual(value);
  });

  it.each(SIGNER_KINDS.map((k) => [k.kind, k.schema] as const))('signer kind %s', (kind, schema) => {
    const s = config.signers?.[`g-${kind}`];
    for (const [key, value] of defaultsOf(schema))
      expect(s?.[key], `signers.g-${kind}.${key}`).toEqual(value);
  });

  it.each(SOURCE_KINDS.map((k) => k.kind))('source kind %s', (kind) => {
    const s = config.sources?.[`s-${kind}`];
    const defaults = defaultsOf(sourceVariant(kind));
    expect(defaults.length).toBeGreaterThan(0);
    for (const [key, value] of defaults) expect(s?.[key], `sources.s-${kind}.${key}`).toEqual(value);
  });

  it('pipelines, seals, calendar years', () => {
    const p = config.pipelines?.p;
    for (const [key, value] of defaultsOf(
      top.pipelines?.patternProperties && Object.values(top.pipelines.patternProperties as object)[0],
    )) {
      // A pipeline's page size is its source's (resolved by the loader), not the schema's own.
      if (key !== 'pageSize') expect(p?.[key], `pipelines.p.${key}`).toEqual(value);
    }
    const seal = Object.values(props(configSchema).seals?.patternProperties as object)[0];
    for (const [key, value] of defaultsOf(seal))
      expect(config.seals?.s?.[key], `seals.s.${key}`).toEqual(value);
    const years = props(props(configSchema).calendar).years?.patternProperties as object;
    const year = config.calendar?.years as unknown as Record<string, Record<string, unknown>>;
    for (const [key, value] of defaultsOf(Object.values(years)[0]))
      expect(year['2030']?.[key]).toEqual(value);
  });

  it('nested parts: an auth variant, code lists, charset repair', () => {
    const rest = TARGET_KINDS.find((k) => k.kind === 'rest-json')?.schema;
    const oauth2 = ((props(rest).auth?.oneOf ?? []) as Schema[]).find(
      (b) => props(b).scheme?.const === 'oauth2',
    );
    const auth = config.targets?.oauth?.auth as Record<string, unknown>;
    for (const [key, value] of defaultsOf(oauth2)) expect(auth[key], `auth.${key}`).toEqual(value);
    const codes = config.targets?.oauth?.codes as Record<string, unknown>;
    for (const [key, value] of defaultsOf(props(rest).codes))
      expect(codes[key], `codes.${key}`).toEqual(value);
    const charset = config.sources?.['charset-repair']?.charset as Record<string, unknown>;
    for (const [key, value] of defaultsOf(props(sourceVariant('sqlite')).charset)) {
      expect(charset[key], `charset.${key}`).toEqual(value);
    }
  });
});
