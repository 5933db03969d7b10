import { auth as authSchema } from '../../../../config/schema/target-parts.js';
import { withSchemaDefaults } from '../../../../config/schema-defaults.js';
import type { TargetAuthConfig } from '../../../../config/target-types.js';
import { AppKeyMd5Auth } from './appkey-md5-auth.js';
import { type AuthOptions, type AuthStrategy, NoAuth } from './auth-strategy.js';
import { GatewayAuth } from './gateway-auth.js';
import { HmacAuth } from './hmac-auth.js';
import { OAuth2Auth } from './oauth2-auth.js';

/** The strategy for a target's `auth` config; new schemes add a case here. */
export function createAuthStrategy(given: TargetAuthConfig, options: AuthOptions = {}): AuthStrategy {
  // A loaded config has the scheme's defaults already; one built in code gets them from the same schema.
  const config = withSchemaDefaults(authSchema, given);
  switch (config.scheme) {
    case 'hmac':
      return new HmacAuth(config, options);
    case 'none':
      return new NoAuth();
    case 'gateway':
      return new GatewayAuth(config, options);
    case 'appkey-md5':
      return new AppKeyMd5Auth(config, options);
    case 'oauth2':
      return new OAuth2Auth(config, options);
  }
}

/**
 * Whether a target's `auth` fetches credentials the deployment's processes share (token-share.ts):
 * an OAuth2 token, or an app secret refreshed from `refreshUrl`. The others are fixed in config.
 */
export function sharesCredentials(given: TargetAuthConfig | undefined): boolean {
  return given?.scheme === 'oauth2' || (given?.scheme === 'appkey-md5' && given.refreshUrl !== undefined);
}
