export { authenticateBearer, readBearerToken, type BearerAuth, type BearerOptions } from './bearer';
export type { BearerRequirements } from './bearer';
export * from './errors';
export {
  cacheLifetimeMs,
  createHydraIntrospector,
  withIntrospectionCache,
  type TokenInfo,
  type TokenIntrospector,
} from './introspection';
export { createBearerMiddleware, type AuthenticatedRequest } from './middleware';
