/**
 * The config type a kind's spec opens (its `open`'s second parameter): signers and targets take
 * their config types from their registries (adapters/signers/kinds.ts, adapters/platforms/kinds.ts).
 */
export type ConfigOfKind<S> = S extends { open(name: string, config: infer C, ...rest: never[]): unknown }
  ? C
  : never;
