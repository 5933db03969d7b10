/**
 * The `ReconciliationLedger` port (ledger/ledger.ts) on knex: each method hands the database handle
 * to its query in ledger/reconcile-store.ts. KnexLedger extends this class, so the port's methods
 * are wired here, in the order the port names them, not among the other ports' methods.
 */
import type * as auditTypes from './audit-types.js';
import type { Db } from './db.js';
import type * as L from './ledger.js';
import * as reconcile from './reconcile-store.js';
import { LedgerStores } from './stores.js';
import { closeAdoptionsAtLimit } from './version-limit.js';

export class ReconcileLedger extends LedgerStores implements L.ReconciliationLedger {
  readonly #db: Db;

  constructor(db: Db) {
    super(db);
    this.#db = db;
  }

  ledgerBuckets(pipeline: string, buckets: number): Promise<auditTypes.BucketDigest[]> {
    return reconcile.ledgerBuckets(this.#db, pipeline, buckets);
  }

  ledgerRowsInBuckets(
    pipeline: string,
    buckets: number,
    wanted: readonly number[],
  ): Promise<auditTypes.LedgerLicense[]> {
    return reconcile.ledgerRowsInBuckets(this.#db, pipeline, buckets, wanted);
  }

  licensesAtTarget(
    pipeline: string,
    target: string,
    after: string,
    limit: number,
  ): Promise<auditTypes.LedgerLicenseAtTarget[]> {
    return reconcile.licensesAtTarget(this.#db, pipeline, target, after, limit);
  }

  licensesAtTargetByIds(
    pipeline: string,
    target: string,
    licenseIds: readonly string[],
  ): Promise<auditTypes.LedgerLicenseAtTarget[]> {
    return reconcile.licensesAtTargetByIds(this.#db, pipeline, target, licenseIds);
  }

  pipelinesOfLicenses(licenseIds: readonly string[]): Promise<Map<string, string>> {
    return reconcile.pipelinesOfLicenses(this.#db, licenseIds);
  }

  licenseStatusCounts(pipeline: string): Promise<Record<string, number>> {
    return reconcile.licenseStatusCounts(this.#db, pipeline);
  }

  openQuarantineCount(pipeline: string): Promise<number> {
    return reconcile.openQuarantineCount(this.#db, pipeline);
  }

  pipelineLicenses(pipeline: string): Promise<auditTypes.LedgerLicense[]> {
    return reconcile.pipelineLicenses(this.#db, pipeline);
  }

  pipelineLicensePage(pipeline: string, after: string, limit: number): Promise<auditTypes.LedgerLicense[]> {
    return reconcile.pipelineLicensePage(this.#db, pipeline, after, limit);
  }

  openQuarantineKeys(pipeline: string): Promise<string[]> {
    return reconcile.openQuarantineKeys(this.#db, pipeline);
  }

  appendRepairVersions(input: auditTypes.RepairVersionsInput): Promise<L.CreatedVersion[]> {
    return reconcile.appendRepairVersions(this.#db, input);
  }

  reopenDeliveries(keys: readonly string[], actor: string, reason: string): Promise<number> {
    return reconcile.reopenDeliveries(this.#db, keys, actor, reason);
  }

  closeAdoptionsAtLimit(pipeline: string, target: string, held: ReadonlySet<string>): Promise<number> {
    return closeAdoptionsAtLimit(this.#db, pipeline, target, held);
  }

  saveReport(report: Omit<auditTypes.StoredReport, 'createdAt'>): Promise<void> {
    return reconcile.saveReport(this.#db, report);
  }

  getReports(query: {
    reportId?: string;
    pipeline?: string;
    limit?: number;
  }): Promise<auditTypes.StoredReport[]> {
    return reconcile.getReports(this.#db, query);
  }
}
