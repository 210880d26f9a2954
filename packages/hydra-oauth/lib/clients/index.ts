export * from './errors';
export * from './fields';
export { readClientFile, parseClientFile } from './file';
export { planClients, hasChanges, changedFields, type Plan, type ClientChange } from './plan';
export type { FieldChange, ChangeKind } from './plan';
export { clientsAdmin, registration, nextPageToken, type ClientsAdmin } from './admin';
export { applyPlan } from './apply';
export { renderPlan, countKinds } from './render';
export { secretDigest, secretMatches } from './secret';
