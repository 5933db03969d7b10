/**
 * What a caller of the deliver stage (./deliver.ts `deliverVersions`) may set: the lease, the file
 * store, what it is told and where it logs.
 */
import type { CauseLogger } from './deliver-causes.js';
import type { CorruptText } from './deliver-items.js';
import type { LeaseSizing } from './delivery-lease.js';

export interface DeliverOptions {
  /**
   * How long a delivery being sent stays leased to this call, ms; after that (the sender died)
   * another job may send it again. Longer than the slowest send. @defaultValue 60000
   */
  leaseMs?: number;
  /**
   * Root folder of the license file store (`licenseFiles.store`, absolute), read when the target
   * takes license files (deliver-files.ts): `configuredFileStore(config)`. @defaultValue none:
   * a version with a file, to a target that takes files, fails naming `licenseFiles.store`
   */
  fileStore?: string | undefined;
  /** The target's `timeoutMs` and `batchSize`: a send carrying files renews its lease for them. */
  sizing?: LeaseSizing;
  /**
   * Told the deliveries this call dead-lettered unsent as their version's stored text is corrupt
   * (deliver-items.ts), once written and before any send: the caller quarantines them, whether or
   * not the send after fails. @defaultValue none
   */
  onCorruptText?: (corrupt: CorruptText[]) => Promise<void>;
  /**
   * Who this call's leases name: unique to the call. The deliver worker names its job's take, so
   * that a job given up after killing its worker every time finds its own leases
   * (pipelines/workers/stalled-out.ts). @defaultValue a random id
   */
  owner?: string;
  /**
   * Where the fault a target failed one license alone for is logged, masked (its outcome's `cause`,
   * ./deliver-causes.ts): never stored, as its text may quote the license. @defaultValue none
   */
  logger?: CauseLogger;
}
