/**
 * The stores a ledger hands out whole (`Ledger.reminders`, `licenseFiles`, `repairDuplicates`,
 * `lostTicks`, `pipelineLeases`, `configChanges`): each an object its own module builds over the database handle. KnexLedger extends
 * this class, so a new store is wired here, beside the others, not among the ports' methods.
 */
import { type ConfigChanges, configChanges } from './config-changes.js';
import type { Db } from './db.js';
import { type LicenseFileLedger, licenseFileLedger } from './license-files.js';
import { type LostTicks, lostTicks } from './lost-ticks.js';
import { type PipelineLeases, pipelineLeases } from './pipeline-leases.js';
import { type RepairDuplicates, repairDuplicates } from './reconcile-duplicates.js';
import { type ReminderStore, reminderStore } from './reminders.js';

export class LedgerStores {
  readonly reminders: ReminderStore;
  readonly licenseFiles: LicenseFileLedger;
  readonly repairDuplicates: RepairDuplicates;
  readonly lostTicks: LostTicks;
  readonly pipelineLeases: PipelineLeases;
  readonly configChanges: ConfigChanges;

  constructor(db: Db) {
    this.reminders = reminderStore(db);
    this.licenseFiles = licenseFileLedger(db);
    this.repairDuplicates = repairDuplicates(db);
    this.lostTicks = lostTicks(db);
    this.pipelineLeases = pipelineLeases(db);
    this.configChanges = configChanges(db);
  }
}
