import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The arrows of docs/architecture.md, written out here independently of biome.json: for each
// source folder, the folders it may import. The lint must refuse every other arrow and allow these.
const MAY_IMPORT: Record<string, readonly string[]> = {
  core: [],
  config: ['core'],
  catalog: ['core'],
  mappings: ['core', 'catalog'],
  connectors: ['core', 'config'],
  ledger: ['core', 'catalog'],
  adapters: ['core', 'config', 'catalog'],
  pipelines: ['core', 'config', 'catalog', 'mappings', 'connectors', 'ledger', 'adapters'],
};
const FOLDERS = [...Object.keys(MAY_IMPORT), 'cli'];
const ROOT = join(import.meta.dirname, '..', '..');
const BIOME = join(ROOT, 'node_modules', '.bin', 'biome');

// The kind registries are data plus lazy loaders: config (and adapters, for source kinds) may read
// them, and nothing else of the folder. One probe each way.
const REGISTRY_PROBES: { file: string; import: string; allowed: boolean }[] = [
  { file: 'config/reg-sources.ts', import: '../connectors/kinds.js', allowed: true },
  { file: 'config/reg-source-spec.ts', import: '../connectors/kind-spec.js', allowed: true },
  { file: 'config/reg-signers.ts', import: '../adapters/signers/kinds.js', allowed: true },
  { file: 'config/reg-signer-spec.ts', import: '../adapters/signers/kind-spec.js', allowed: true },
  { file: 'config/reg-targets.ts', import: '../adapters/platforms/kinds.js', allowed: true },
  { file: 'config/reg-target-code.ts', import: '../adapters/platforms/rest-json/kind.js', allowed: false },
  { file: 'adapters/reg-sources.ts', import: '../connectors/kinds.js', allowed: true },
  { file: 'config/reg-signer-code.ts', import: '../adapters/signers/local-sm2/kind.js', allowed: false },
  { file: 'config/reg-source-code.ts', import: '../connectors/sql/dialects/dm/kind.js', allowed: false },
  { file: 'ledger/reg-sources.ts', import: '../connectors/kinds.js', allowed: false },
  { file: 'catalog/reg-signers.ts', import: '../adapters/signers/kinds.js', allowed: false },
];

interface Probe {
  from: string;
  to: string;
  file: string;
}

/** A scratch tree with the project's biome.json and one probe file per (folder, other folder). */
describe('npm run lint enforces the layers', () => {
  let dir: string;
  const probes: Probe[] = [];
  let flagged = new Set<string>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'licbridge-layers-'));
    const config = JSON.parse(await readFile(join(ROOT, 'biome.json'), 'utf8')) as Record<string, unknown>;
    delete config.$schema;
    await writeFile(join(dir, 'biome.json'), JSON.stringify(config));
    for (const from of Object.keys(MAY_IMPORT)) {
      // One level down too: an adapter in adapters/platforms/x/ reaches out with ../../../.
      await mkdir(join(dir, from, 'deep', 'er'), { recursive: true });
      for (const to of FOLDERS) {
        if (to === from) continue;
        const file = `${from}/probe-${to}.ts`;
        await writeFile(join(dir, file), `import { x } from '../${to}/thing.js';\nexport const y = x;\n`);
        probes.push({ from, to, file });
        const deep = `${from}/deep/er/probe-${to}.ts`;
        await writeFile(
          join(dir, deep),
          `import { x } from '../../../${to}/a/thing.js';\nexport const y = x;\n`,
        );
        probes.push({ from, to, file: deep });
      }
    }
    for (const r of REGISTRY_PROBES) {
      await writeFile(join(dir, r.file), `import { x } from '${r.import}';\nexport const y = x;\n`);
    }
    const run = promisify(execFile);
    const out = await run(BIOME, ['lint', '--reporter=json', '--max-diagnostics=none', '.'], {
      cwd: dir,
    }).then(
      (r) => r.stdout,
      (e: { stdout: string }) => e.stdout,
    );
    const report = JSON.parse(out) as {
      diagnostics: { category: string; location: { path: string | { file: string } } }[];
    };
    flagged = new Set(
      report.diagnostics
        .filter((d) => d.category === 'lint/style/noRestrictedImports')
        .map((d) => (typeof d.location.path === 'string' ? d.location.path : d.location.path.file)),
    );
  }, 60_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses every import against the arrows and no import along them', () => {
    const wrong: string[] = [];
    for (const p of probes) {
      const allowed = MAY_IMPORT[p.from]?.includes(p.to) ?? false;
      const isFlagged = flagged.has(p.file);
      if (allowed === isFlagged)
        wrong.push(`${p.file}: ${p.from} → ${p.to} ${allowed ? 'refused' : 'allowed'}`);
    }
    for (const r of REGISTRY_PROBES) {
      if (flagged.has(r.file) === r.allowed)
        wrong.push(`${r.file} → ${r.import} ${r.allowed ? 'refused' : 'allowed'}`);
    }
    expect(wrong).toEqual([]);
    // Nothing imports pipelines or cli, whatever the depth.
    expect(probes.filter((p) => p.to === 'cli' || p.to === 'pipelines').length).toBeGreaterThan(20);
  });
});
