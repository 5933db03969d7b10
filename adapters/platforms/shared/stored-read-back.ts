/**
 * An optional capability of a target that can read back the records it stored (the front
 * database reads its own exchange rows): whether it holds a delivery exactly as a send of it
 * writes it. A platform behind an API (REST/JSON, SOAP/XML) shows licbridge nothing of what it
 * stored, and its status answer is taken as it is.
 */
import type { DeliveryItem, TargetAdapter } from '../target.js';

export interface StoredReadBack {
  /**
   * The keys among `items` whose record the target holds as a send of `items` writes it. The
   * deliver stage asks it before it takes a `submitted` status answer for a send whose answer was
   * lost as the platform holding the delivery: a record that send stored damaged is caught only by
   * sending it again (pipelines/stages/deliver-lost-answers.ts). Throws as a status request does.
   */
  heldAsSent(items: readonly DeliveryItem[]): Promise<ReadonlySet<string>>;
}

/** Whether `target` can read back what it stored (`StoredReadBack`). */
export function readsBackStored(target: TargetAdapter): target is TargetAdapter & StoredReadBack {
  return typeof (target as Partial<StoredReadBack>).heldAsSent === 'function';
}
