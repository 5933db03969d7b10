/**
 * `config check`'s use case: everything that can be checked without a database or a platform —
 * the files a config names exist and are readable, mappings compile, catalog entries validate,
 * every mapped field exists in its pipeline's catalog entry, and each local seal key matches its
 * certificate. Every problem is located `file:line:col` (in the config, or in the file at fault),
 * so a new pipeline's mistakes surface here rather than at preview or run.
 */
import { constants } from 'node:fs';
import { access, readdir, readFile } from 'node:fs/promises';
import { readCertificate, sameKey } from '../adapters/signers/certificate.js';
import { loadSm2PrivateKey } from '../adapters/signers/local-sm2/keys.js';
import { signerKeyPem } from '../adapters/signers/local-sm2/seal-keys.js';
import type { Catalog, CatalogEntry } from '../catalog/catalog.js';
import { loadCatalog } from '../catalog/catalog.js';
import { licenseSchemaFor } from '../catalog/license-schema.js';
import { parseYamlSource, problemAt, type YamlSource } from '../catalog/yaml-source.js';
import type { Config } from '../config/types.js';
import { ConfigError, type Problem } from '../core/errors.js';
import { compileMapping } from '../mappings/compile.js';

type Segment = string | number;

function located(e: unknown, fallback: () => Problem): Problem[] {
  if (e instanceof ConfigError && e.problems.length > 0) return [...e.problems];
  return [{ ...fallback(), message: `${fallback().message}: ${(e as Error).message}` }];
}

/** Null when the file can be read; else the reason (ENOENT, EACCES, …). */
async function unreadable(file: string): Promise<string | null> {
  try {
    await access(file, constants.R_OK);
    return null;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? 'unreadable';
  }
}

async function holdsEntries(folder: string): Promise<boolean> {
  try {
    return (await readdir(folder)).some((f) => /\.ya?ml$/.test(f));
  } catch {
    return false;
  }
}

type Schema = { properties?: Record<string, Schema>; additionalProperties?: unknown };

/** The first segment of `path` the schema has no room for, or null when it does. */
function missingSegment(schema: Schema, path: readonly string[]): string | null {
  let node: Schema | undefined = schema;
  for (const seg of path) {
    if (!node?.properties) return null;
    const next: Schema | undefined = node.properties[seg];
    if (next === undefined) return node.additionalProperties === false ? seg : null;
    node = next;
  }
  return null;
}

async function mappingProblems(
  configSrc: YamlSource,
  name: string,
  file: string,
  entry: CatalogEntry | undefined,
): Promise<Problem[]> {
  const at = (path: Segment[], message: string) => problemAt(configSrc, path, message);
  const reason = await unreadable(file);
  if (reason) return [at(['pipelines', name, 'mapping'], `cannot read mapping file ${file}: ${reason}`)];
  let fields: readonly string[];
  try {
    fields = (await compileMapping(file)).fields;
  } catch (e) {
    return located(e, () => at(['pipelines', name, 'mapping'], `mapping ${file} does not compile`));
  }
  if (!entry) return [];
  const schema = licenseSchemaFor(entry) as Schema;
  const mappingSrc = parseYamlSource(await readFile(file, 'utf8'), file);
  const out: Problem[] = [];
  for (const field of fields) {
    const missing = missingSegment(schema, field.split('.'));
    if (missing === null) continue;
    out.push(
      problemAt(
        mappingSrc,
        ['fields', field],
        `\`${field}\` is not a field of license type ${entry.code} (${entry.file}): \`${missing}\` is not among its fields; fix the name or add it to the entry's surface`,
        true,
      ),
    );
  }
  return out;
}

function signerProblems(configSrc: YamlSource, config: Config): Problem[] {
  const out: Problem[] = [];
  for (const [name, signer] of Object.entries(config.signers)) {
    if (signer.kind !== 'local-sm2') continue;
    const at = (field: string, message: string) => problemAt(configSrc, ['signers', name, field], message);
    let publicKeyPem: string;
    try {
      publicKeyPem = loadSm2PrivateKey(name, signerKeyPem(name, signer), signer.passphrase).publicKeyPem;
    } catch (e) {
      out.push(at(signer.keyFile !== undefined ? 'keyFile' : 'key', (e as Error).message));
      continue;
    }
    if (signer.certificate === undefined) continue;
    try {
      const cert = readCertificate(name, signer.certificate);
      if (!sameKey(cert.publicKeyPem, publicKeyPem)) {
        out.push(
          at(
            'certificate',
            `${signer.certificate} (serial ${cert.serial}) does not certify signer ${name}'s key: install the certificate issued for this key (licbridge seal install) or point keyFile at the key it certifies`,
          ),
        );
      }
    } catch (e) {
      out.push(at('certificate', (e as Error).message));
    }
  }
  return out;
}

/** Every problem the config's files hold, located; empty when all checks pass. */
export async function checkConfigFiles(config: Config): Promise<Problem[]> {
  const configSrc = parseYamlSource(await readFile(config.file, 'utf8'), config.file);
  const problems: Problem[] = [];
  let catalog: Catalog | undefined;
  try {
    // A config without pipelines (a target's TLS set up first) needs no entries yet.
    if (Object.keys(config.pipelines).length > 0 || (await holdsEntries(config.catalog)))
      catalog = await loadCatalog(config.catalog);
  } catch (e) {
    problems.push(
      ...located(e, () => problemAt(configSrc, ['catalog'], `catalog ${config.catalog} does not load`)),
    );
  }
  for (const [name, pipeline] of Object.entries(config.pipelines)) {
    const entry = catalog?.get(pipeline.licenseType);
    if (catalog && !entry) {
      problems.push(
        problemAt(
          configSrc,
          ['pipelines', name, 'licenseType'],
          `license type ${pipeline.licenseType} is not in the catalog ${config.catalog}: add its entry file there`,
        ),
      );
    }
    problems.push(...(await mappingProblems(configSrc, name, pipeline.mapping, entry)));
  }
  problems.push(...signerProblems(configSrc, config));
  for (const [name, trusted] of Object.entries(config.trust)) {
    const reason = await unreadable(trusted.file);
    if (reason)
      problems.push(problemAt(configSrc, ['trust', name, 'file'], `cannot read ${trusted.file}: ${reason}`));
  }
  return problems;
}
