/**
 * What a signer kind tells the rest of licbridge: its config `kind`, a title, the JSON Schema of
 * its config variant, and a lazy `open`. Each spec sits next to its code
 * (`adapters/signers/<kind>/kind.ts`) and one line in `adapters/signers/kinds.ts` lists it; the
 * config schema and `createSigner` read that list. Importing a spec loads no signing code.
 */
import type { Schema } from '../../config/schema/builders.js';
import type { Signer } from './signer.js';

/** A problem a kind finds in its config variant: `path` below `signers.<name>`, and what is wrong. */
export interface SignerConfigProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** `C`: the kind's config type (./<kind>/config.ts); `config/types.ts` derives `SignerConfig` from the registry's. */
export interface SignerKindSpec<C = unknown> {
  readonly kind: string;
  readonly title: string;
  /** The config variant, `kind` among its properties (config/schema/signers.ts joins them). */
  readonly schema: Schema;
  /**
   * Checks its schema cannot express, run by the config loader on a config the schema accepted
   * (as a target kind's `problems`): every command, `config check` first, refuses the config with
   * the file and line. `path` is below `signers.<name>`. Absent: the schema says it all.
   */
  problems?(name: string, config: C): readonly SignerConfigProblem[];
  /** Builds the signer; its implementation module loads only now. */
  open(name: string, config: C): Promise<Signer>;
}
