import { dirname } from 'node:path';
import { createTarget } from '../adapters/platforms/create-target.js';
import { sharesCredentials } from '../adapters/platforms/shared/auth/create-auth.js';
import type { TokenShare } from '../adapters/platforms/shared/auth/token-share.js';
import type { TargetAdapter } from '../adapters/platforms/target.js';
import { createSigner } from '../adapters/signers/create-signer.js';
import type { Signer } from '../adapters/signers/signer.js';
import { type Catalog, loadCatalog } from '../catalog/catalog.js';
import type { Config, PipelineConfig } from '../config/types.js';
import { openSource } from '../connectors/open-source.js';
import type { SourceConnector, SourceReader } from '../connectors/source.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { terminalLine } from '../core/terminal-text.js';
import { fingerprintContext } from '../ledger/commit-page.js';
import type { Ledger } from '../ledger/ledger.js';
import { compileMapping } from '../mappings/compile.js';
import type { LicenseMapper } from '../mappings/license-mapper.js';
import {
  catalogParts,
  compiledWithParts,
  type HeldParts,
  mappingParts,
  recordConfigChange,
} from './config-audit.js';
import { openConfigLedger } from './config-ledger.js';
import { type OpenedTokenShare, openTokenShare } from './credential-share.js';
import { lifecycleSettings } from './lifecycle/settings.js';
import { pipelineMapper } from './pipeline-mapper.js';
import { signerUnitCode } from './seal-units.js';

export type { LicenseMapper };

export interface PipelineParts {
  name: string;
  config: PipelineConfig;
  source: SourceConnector;
  /** This pipeline as the reader of its source (`ReadOptions.reader`): a connector's record of what was read is kept per pipeline. */
  reader: SourceReader;
  mapper: LicenseMapper;
  /** The day the mapper maps on (`before: today`, and derived expiry unless the pipeline's `expiry` is off). */
  today?: (ledgerNow?: Date) => string;
  signer: Signer;
  /** The issuing unit whose versions `signer` signs here (pipelines/seal-units.ts `signerUnitCode`). */
  signerUnit: string;
  targets: ReadonlyMap<string, TargetAdapter>;
  /**
   * The mapping and catalog the mapper maps with, as the ledger names the context of a source
   * fingerprint (ledger/commit-page.ts `fingerprintContext`): when it changes, quarantined rows
   * judged by the older one are read again (quarantine-recheck.ts). Absent: never read again so.
   */
  mappingContext?: string;
}

/**
 * Everything a process needs to work the stages, opened once and shared by its workers:
 * the ledger, the catalog, and per pipeline its source, compiled mapping, signer and targets.
 * Parts open lazily and once; `close()` releases every connection.
 */
export class Runtime {
  readonly config: Readonly<Config>;
  readonly logger: Logger;
  private ledgerPromise: Promise<Ledger> | undefined;
  private catalogPromise: Promise<Catalog> | undefined;
  private readonly sources = new Map<string, Promise<SourceConnector>>();
  private readonly signers = new Map<string, Promise<Signer>>();
  private readonly targets = new Map<string, Promise<TargetAdapter>>();
  private readonly pipelines = new Map<string, Promise<PipelineParts>>();
  /** The parts of the catalog and of each mapping as compiled, for the config entry (./config-audit.ts). */
  private heldCatalog: Record<string, string> | undefined;
  private readonly heldMappings = new Map<string, Record<string, string>>();
  /** Signers whose open() has not ended: close() closes them at once (see close()). */
  private readonly openingSigners = new Set<Signer>();
  /** The queue's Redis as the credential share, opened with the first target that needs it. */
  private sharedTokens: OpenedTokenShare | undefined;

  constructor(config: Readonly<Config>, logger: Logger) {
    this.config = config;
    this.logger = logger;
  }

  ledger(): Promise<Ledger> {
    if (this.ledgerPromise) return this.ledgerPromise;
    const p = openConfigLedger(this.config, { logger: this.logger });
    this.ledgerPromise = p;
    p.catch(() => {
      if (this.ledgerPromise === p) this.ledgerPromise = undefined;
    });
    return p;
  }

  catalog(): Promise<Catalog> {
    if (this.catalogPromise) return this.catalogPromise;
    const p = compiledWithParts(
      () => catalogParts(this.config),
      () => loadCatalog(this.config.catalog),
    ).then(({ value, parts }) => {
      this.heldCatalog = parts;
      return value;
    });
    this.catalogPromise = p;
    p.catch(() => {
      if (this.catalogPromise === p) this.catalogPromise = undefined;
    });
    return p;
  }

  /**
   * The catalog and the mappings as this process compiled them (./config-audit.ts): a `config`
   * entry made with them describes the versions this process makes, and reads no file again.
   */
  heldParts(): HeldParts {
    return { ...(this.heldCatalog ? { catalog: this.heldCatalog } : {}), mappings: this.heldMappings };
  }

  pipelineConfig(name: string): PipelineConfig {
    const p = this.config.pipelines[name];
    if (!p) {
      const known = Object.keys(this.config.pipelines).join(', ') || 'none';
      throw new LicbridgeError(
        ErrorCodes.USAGE,
        `pipeline: unknown pipeline \`${terminalLine(name)}\` (defined: ${known})`,
      );
    }
    return p;
  }

  pipeline(name: string): Promise<PipelineParts> {
    return reuse(this.pipelines, name, () => this.openPipeline(name));
  }

  /**
   * What signing a pipeline's versions needs, and no more: its config, its signer and the unit it
   * signs for. Not its source, catalog, mapping or targets, so a sign job goes on while the legacy
   * database is down, or on a host that works only the sign stage.
   */
  async signing(name: string): Promise<Pick<PipelineParts, 'config' | 'signer' | 'signerUnit'>> {
    const config = this.pipelineConfig(name);
    const signer = await this.signer(config.signer);
    // Told once: each version is then judged by a string compare (pipelines/stages/sign.ts).
    return { config, signer, signerUnit: signerUnitCode(this.config, signer, name) };
  }

  signer(name: string): Promise<Signer> {
    const cfg = this.config.signers[name];
    if (!cfg) throw new LicbridgeError(ErrorCodes.USAGE, `signer: unknown signer \`${name}\``);
    return reuse(this.signers, name, async () => {
      const signer = await createSigner(name, cfg);
      this.openingSigners.add(signer);
      try {
        await signer.open();
      } catch (e) {
        // Whatever the failed open started (a worker pool, a connection) ends with it.
        await signer.close().catch(() => undefined);
        throw e;
      } finally {
        this.openingSigners.delete(signer);
      }
      return signer;
    });
  }

  target(name: string): Promise<TargetAdapter> {
    const cfg = this.config.targets[name];
    if (!cfg) throw new LicbridgeError(ErrorCodes.USAGE, `target: unknown target \`${name}\``);
    return reuse(this.targets, name, () =>
      createTarget(name, cfg, {
        baseDir: dirname(this.config.file),
        // Every process of the deployment (workers, a CLI run) then holds the same token (or
        // refreshed secret) of a platform client: one fetching its own would retire the others'
        // where the platform keeps one.
        ...('auth' in cfg && sharesCredentials(cfg.auth) ? { tokenShare: this.tokenShare() } : {}),
      }),
    );
  }

  /**
   * Where this process shares platform credentials with the deployment's others (the queue's
   * Redis, pipelines/credential-share.ts): targets opened here, and the notify targets a
   * reminder tick opens (lifecycle/reminder-sender.ts).
   */
  tokenShare(): TokenShare {
    this.sharedTokens ??= openTokenShare(this.config.queue);
    return this.sharedTokens.share;
  }

  source(name: string): Promise<SourceConnector> {
    const cfg = this.config.sources[name];
    if (!cfg) throw new LicbridgeError(ErrorCodes.USAGE, `source: unknown source \`${name}\``);
    // The zone the mappings take an instant's day in: a list's instants are written in it.
    const { timeZone } = lifecycleSettings(this.config);
    return reuse(this.sources, name, () =>
      // An XML export source keeps its ledger of files read in licbridge's ledger.
      cfg.kind === 'xml-files'
        ? this.ledger().then((l) => openSource(name, cfg, { state: l, logger: this.logger, timeZone }))
        : openSource(name, cfg, { logger: this.logger, timeZone }),
    );
  }

  private async openPipeline(name: string): Promise<PipelineParts> {
    const config = this.pipelineConfig(name);
    const [catalog, compiled, source, { signer, signerUnit }] = await Promise.all([
      this.catalog(),
      compiledWithParts(
        () => mappingParts(this.config, config.mapping),
        () => compileMapping(config.mapping),
      ),
      this.source(config.source),
      this.signing(name),
    ]);
    const mapping = compiled.value;
    this.heldMappings.set(config.mapping, compiled.parts);
    // A process records its configuration as it starts, but compiles a pipeline's mapping and the
    // catalog at its first job: one edited in between would make versions no `config` entry
    // describes. Recorded again as compiled; the compare makes it nothing when unchanged.
    await recordConfigChange(this.config, (await this.ledger()).configChanges, this.logger, this.heldParts());
    const { mapper, today } = pipelineMapper(this.config, name, mapping, catalog);
    const targets = new Map<string, TargetAdapter>();
    for (const t of config.targets) targets.set(t, await this.target(t));
    // Whether another configured pipeline reads the same source: a record a connector kept for the
    // whole source (before it kept one per pipeline) is then not known to be this pipeline's.
    const shared = Object.entries(this.config.pipelines).some(
      ([n, p]) => n !== name && p.source === config.source,
    );
    return {
      name,
      config,
      source,
      reader: { pipeline: name, shared },
      mapper,
      today,
      signer,
      signerUnit,
      targets,
      mappingContext: fingerprintContext({
        mappingVersion: mapping.version,
        catalogVersion: catalog.version,
      }),
    };
  }

  async close(): Promise<void> {
    const settle = async <T>(p: Promise<T> | undefined, close: (v: T) => Promise<void>) => {
      if (!p) return;
      try {
        await close(await p);
      } catch {
        // A part that failed to open has nothing to close.
      }
    };
    // A signer still opening may be waiting between attempts (a signing server's 503 with
    // Retry-After: up to 30 s, `attempts` - 1 times): closed now, its open fails at once instead of
    // holding this close until it ends. One that opens all the same is closed again below.
    await Promise.all([
      ...[...this.openingSigners].map((s) => s.close().catch(() => undefined)),
      ...[...this.sources.values()].map((p) => settle(p, (s) => s.close())),
      ...[...this.signers.values()].map((p) => settle(p, (s) => s.close())),
      ...[...this.targets.values()].map((p) => settle(p, (t) => t.close())),
    ]);
    await settle(this.ledgerPromise, (l) => l.close());
    this.sharedTokens?.close();
  }
}

/**
 * The part open under `key`, opening it on first use. A part that failed to open is forgotten, so
 * the next job opens it again: a worker started while the department's database, the signing
 * server or a key volume was away would otherwise fail every job until it was restarted.
 */
function reuse<T>(cache: Map<string, Promise<T>>, key: string, open: () => Promise<T>): Promise<T> {
  const held = cache.get(key);
  if (held) return held;
  const p = open();
  cache.set(key, p);
  p.catch(() => {
    if (cache.get(key) === p) cache.delete(key);
  });
  return p;
}
