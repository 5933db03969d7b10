/** The options the config validator is compiled with, at build time and, as a fallback, at run time. */
export const VALIDATOR_OPTIONS = {
  allErrors: true,
  useDefaults: true,
  discriminator: true,
  strict: true,
  allowUnionTypes: true,
  verbose: true,
} as const;
