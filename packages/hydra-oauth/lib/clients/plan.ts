import type { OAuth2Client } from '@ory/hydra-client';

import {
  BOOLEAN_FIELDS,
  DECLARED_FIELDS_KEY,
  type DeclaredClient,
  LIST_FIELDS,
  SECRET_DIGEST_KEY,
} from './fields';
import { secretMatches } from './secret';

export type ChangeKind = 'create' | 'update' | 'unchanged' | 'delete';

/** One field that differs. Secret changes carry no values, so a plan can be printed. */
export interface FieldChange {
  field: string;
  before?: unknown;
  after?: unknown;
  secret?: true;
}

export interface ClientChange {
  kind: ChangeKind;
  clientId: string;
  fields: FieldChange[];
  /** What to send to Hydra for create and update. */
  declared?: DeclaredClient;
}

export interface Plan {
  changes: ClientChange[];
}

/** Fields compared by their own rule, or never (the id is the key, the secret is hashed). */
const SPECIAL_FIELDS = new Set(['client_id', 'client_secret', 'metadata']);

/**
 * Decides, per client, what `apply` must do so Hydra matches the file. Only fields the file
 * declares are compared, because Hydra fills in defaults for the others. With `prune`, clients
 * that Hydra holds and the file does not declare are deleted; without it they are left alone.
 */
export function planClients(
  declared: DeclaredClient[],
  registered: OAuth2Client[],
  options: { prune: boolean },
): Plan {
  const byId = new Map(registered.map((client) => [client.client_id ?? '', client]));
  const changes: ClientChange[] = declared.map((client) => {
    const current = byId.get(client.client_id);
    if (!current) {
      return { kind: 'create', clientId: client.client_id, fields: [], declared: client };
    }
    const fields = changedFields(client, current);
    const kind = fields.length > 0 ? 'update' : 'unchanged';
    return { kind, clientId: client.client_id, fields, declared: client };
  });

  if (options.prune) {
    const declaredIds = new Set(declared.map((client) => client.client_id));
    for (const client of registered) {
      const id = client.client_id ?? '';
      if (!declaredIds.has(id)) changes.push({ kind: 'delete', clientId: id, fields: [] });
    }
  }
  return { changes };
}

export function hasChanges(plan: Plan): boolean {
  return plan.changes.some((change) => change.kind !== 'unchanged');
}

export function changedFields(declared: DeclaredClient, current: OAuth2Client): FieldChange[] {
  const changes: FieldChange[] = [];
  const registered = current as Record<string, unknown>;
  const entries = declared as Record<string, unknown>;

  for (const field of Object.keys(declared)) {
    if (SPECIAL_FIELDS.has(field)) continue;
    const after = normalise(field, entries[field]);
    const before = normalise(field, registered[field]);
    if (!sameValue(before, after)) changes.push({ field, before, after });
  }

  const metadata = metadataChange(declared, current);
  if (metadata) changes.push(metadata);
  changes.push(...undeclaredSinceLastApply(declared, current));

  if (declared.client_secret !== undefined) {
    const digest = current.metadata?.[SECRET_DIGEST_KEY as never];
    if (!secretMatches(declared.client_secret, digest)) {
      changes.push({ field: 'client_secret', secret: true });
    }
  }
  return changes;
}

/** Our own bookkeeping keys are not the operator's metadata, so they never count as a change. */
function metadataChange(declared: DeclaredClient, current: OAuth2Client): FieldChange | undefined {
  if (declared.metadata === undefined) return undefined;
  const before = operatorMetadata(current.metadata);
  const after = operatorMetadata(declared.metadata);
  return sameValue(before, after) ? undefined : { field: 'metadata', before, after };
}

function operatorMetadata(metadata: unknown): Record<string, unknown> {
  if (typeof metadata !== 'object' || metadata === null) return {};
  const rest = { ...(metadata as Record<string, unknown>) };
  delete rest[SECRET_DIGEST_KEY];
  delete rest[DECLARED_FIELDS_KEY];
  return rest;
}

/** A field declared at the last apply and since removed from the file goes back to default. */
function undeclaredSinceLastApply(declared: DeclaredClient, current: OAuth2Client): FieldChange[] {
  const previous = current.metadata?.[DECLARED_FIELDS_KEY as never] as unknown;
  if (!Array.isArray(previous)) return [];
  const registered = current as Record<string, unknown>;
  return previous
    .filter((field): field is string => typeof field === 'string')
    .filter((field) => field !== 'client_secret' && !(field in declared))
    .map((field) => ({ field, before: registered[field], after: '(Hydra default)' }));
}

/**
 * Brings both sides to one form: Hydra answers `null` for an empty list and `false` is its
 * default for flags. Lists and scopes are sets for Hydra, so their order does not matter.
 */
function normalise(field: string, value: unknown): unknown {
  if ((LIST_FIELDS as readonly string[]).includes(field)) {
    return Array.isArray(value) ? [...new Set(value as string[])].sort() : [];
  }
  if ((BOOLEAN_FIELDS as readonly string[]).includes(field)) return value === true;
  if (field === 'scope') {
    if (typeof value !== 'string') return '';
    return [...new Set(value.split(/\s+/).filter(Boolean))].sort().join(' ');
  }
  return value ?? '';
}

function sameValue(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return item;
    const entries = Object.entries(item as Record<string, unknown>);
    entries.sort(([a], [b]) => a.localeCompare(b));
    return Object.fromEntries(entries);
  });
}
