import { dirname } from 'node:path';
import { createTarget } from '../adapters/platforms/create-target.js';
import type { TargetAdapter } from '../adapters/platforms/target.js';
import { createSigner } from '../adapters/signers/create-signer.js';
import type { Signer } from '../adapters/signers/signer.js';
import { type Catalog, loadCatalog } from '../catalog/catalog.js';
import type { Config, PipelineConfig } from '../config/types.js';
import { openSource } from '../connectors/open-source.js';
import type { SourceConnector, SourceReader } from '../connectors/source.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Ledger } from '../ledger/ledger.js';
import { openLedger } from '../ledger/open-ledger.js';
import { compileMapping } from '../mappings/compile.js';
import { createLicenseMapper } from '../mappings/license-mapper.js';
import { lifecycleToday } from './lifecycle/settings.js';

export type LicenseMapper = ReturnType<typeof createLicenseMapper>;

export interface PipelineParts {
  name: string;
  config: PipelineConfig;
  source: SourceConnector;
  /** This pipeline as the reader of its source (`ReadOptions.reader`): a connector's record of what was read is kept per pipeline. */
  reader: SourceReader;
  mapper: LicenseMapper;
  /** The day the mapper maps on (derived expiry, `before: today`); absent when expiry is off. */
  today?: () => string;
  signer: Signer;
  targets: ReadonlyMap<string, TargetAdapter>;
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

  constructor(config: Readonly<Config>, logger: Logger) {
    this.config = config;
    this.logger = logger;
  }

  ledger(): Promise<Ledger> {
    const p =
      this.ledgerPromise ??
      openLedger(this.config.ledger.url, {
        logger: this.logger,
        ...(this.config.ledger.retryBudgetMs === undefined
          ? {}
          : { retryBudgetMs: this.config.ledger.retryBudgetMs }),
      });
    this.ledgerPromise = p;
    return p;
  }

  catalog(): Promise<Catalog> {
    const p = this.catalogPromise ?? loadCatalog(this.config.catalog);
    this.catalogPromise = p;
    return p;
  }

  pipelineConfig(name: string): PipelineConfig {
    const p = this.config.pipelines[name];
    if (!p) {
      const known = Object.keys(this.config.pipelines).join(', ') || 'none';
      throw new LicbridgeError(
        ErrorCodes.USAGE,
        `pipeline: unknown pipeline \`${name}\` (defined: ${known})`,
      );
    }
    return p;
  }

  pipeline(name: string): Promise<PipelineParts> {
    let parts = this.pipelines.get(name);
    if (!parts) {
      parts = this.openPipeline(name);
      this.pipelines.set(name, parts);
    }
    return parts;
  }

  signer(name: string): Promise<Signer> {
    let s = this.signers.get(name);
    if (!s) {
      const cfg = this.config.signers[name];
      if (!cfg) throw new LicbridgeError(ErrorCodes.USAGE, `signer: unknown signer \`${name}\``);
      s = createSigner(name, cfg).then(async (signer) => {
        await signer.open();
        return signer;
      });
      this.signers.set(name, s);
    }
    return s;
  }

  target(name: string): Promise<TargetAdapter> {
    let t = this.targets.get(name);
    if (!t) {
      const cfg = this.config.targets[name];
      if (!cfg) throw new LicbridgeError(ErrorCodes.USAGE, `target: unknown target \`${name}\``);
      t = createTarget(name, cfg, { baseDir: dirname(this.config.file) });
      this.targets.set(name, t);
    }
    return t;
  }

  source(name: string): Promise<SourceConnector> {
    let s = this.sources.get(name);
    if (!s) {
      const cfg = this.config.sources[name];
      if (!cfg) throw new LicbridgeError(ErrorCodes.USAGE, `source: unknown source \`${name}\``);
      // An XML export source keeps its ledger of files read in licbridge's ledger.
      s =
        cfg.kind === 'xml-files'
          ? this.ledger().then((l) => openSource(name, cfg, { state: l, logger: this.logger }))
          : openSource(name, cfg, { logger: this.logger });
      this.sources.set(name, s);
    }
    return s;
  }

  private async openPipeline(name: string): Promise<PipelineParts> {
    const config = this.pipelineConfig(name);
    const [catalog, mapping, source, signer] = await Promise.all([
      this.catalog(),
      compileMapping(config.mapping),
      this.source(config.source),
      this.signer(config.signer),
    ]);
    const today = config.expiry === false ? undefined : lifecycleToday(this.config);
    const mapper = createLicenseMapper({
      pipeline: name,
      sourceName: config.source,
      mapping,
      catalog,
      licenseType: config.licenseType,
      issuer: config.issuer,
      ...(config.areaCode === undefined ? {} : { areaCode: config.areaCode }),
      ...(today ? { today } : {}),
    });
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
      ...(today ? { today } : {}),
      signer,
      targets,
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
    await Promise.all([
      ...[...this.sources.values()].map((p) => settle(p, (s) => s.close())),
      ...[...this.signers.values()].map((p) => settle(p, (s) => s.close())),
      ...[...this.targets.values()].map((p) => settle(p, (t) => t.close())),
    ]);
    await settle(this.ledgerPromise, (l) => l.close());
  }
}
