import type { TargetAuthConfig } from '../../../config/types.js';
import { type AuthOptions, type AuthStrategy, NoAuth } from './auth-strategy.js';
import { HmacAuth } from './hmac-auth.js';

/** The strategy for a target's `auth` config; new schemes add a case here. */
export function createAuthStrategy(config: TargetAuthConfig, options: AuthOptions = {}): AuthStrategy {
  switch (config.scheme) {
    case 'hmac':
      return new HmacAuth(config, options);
    case 'none':
      return new NoAuth();
  }
}
