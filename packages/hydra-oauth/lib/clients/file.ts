import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';

import { ClientFileError } from './errors';
import {
  BOOLEAN_FIELDS,
  DEFAULT_AUTH_METHOD,
  type DeclaredClient,
  isKnownField,
  LIST_FIELDS,
  SECRET_AUTH_METHODS,
  SECRET_DIGEST_KEY,
  STRING_FIELDS,
} from './fields';

type Environment = Record<string, string | undefined>;
type Entry = Record<string, unknown>;

/** `${NAME}`: the only form of reference, so a literal `$` elsewhere stays literal. */
const VARIABLE_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Reads and checks a client file (JSON, or YAML for `.yaml`/`.yml`). */
export async function readClientFile(file: string, env: Environment): Promise<DeclaredClient[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ClientFileError(file, '', `cannot be read (${(error as Error).message})`);
  }
  return parseClientFile(text, file, env);
}

/**
 * Checks the text of a client file: a list of clients (or `{ "clients": [...] }`) with Hydra's
 * field names. `client_secret` may be `${VARIABLE}`, read from `env`, so the file itself can be
 * committed without secrets. The first problem found is thrown, naming the entry and field.
 */
export function parseClientFile(text: string, file: string, env: Environment): DeclaredClient[] {
  const document = parseDocument(text, file);
  const entries = clientList(document, file);
  const clients = entries.map((entry, index) => checkClient(entry, `[${index}]`, file, env));
  rejectDuplicateIds(clients, file);
  return clients;
}

function parseDocument(text: string, file: string): unknown {
  const yaml = ['.yaml', '.yml'].includes(extname(file).toLowerCase());
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    const kind = yaml ? 'YAML' : 'JSON';
    throw new ClientFileError(file, '', `is not valid ${kind}: ${(error as Error).message}`);
  }
}

function clientList(document: unknown, file: string): unknown[] {
  if (Array.isArray(document)) return document;
  if (isEntry(document) && Array.isArray(document.clients)) return document.clients;
  throw new ClientFileError(file, '', 'expected a list of clients or { "clients": [...] }');
}

function checkClient(raw: unknown, at: string, file: string, env: Environment): DeclaredClient {
  if (!isEntry(raw)) throw new ClientFileError(file, at, 'expected an object');
  const fail = (field: string, problem: string) =>
    new ClientFileError(file, `${at}.${field}`, problem);

  for (const field of Object.keys(raw)) {
    if (!isKnownField(field)) throw fail(field, 'not a Hydra client field (a typo?)');
  }
  checkFieldTypes(raw, fail);

  if (typeof raw.client_id !== 'string' || raw.client_id.trim() === '') {
    throw fail('client_id', 'required, a non-empty string');
  }
  if (isEntry(raw.metadata) && SECRET_DIGEST_KEY in raw.metadata) {
    throw fail(`metadata.${SECRET_DIGEST_KEY}`, 'reserved: apply keeps the secret digest there');
  }
  checkUris(raw, fail);

  const client = { ...raw } as DeclaredClient;
  if (typeof raw.client_secret === 'string') {
    client.client_secret = resolveReferences(raw.client_secret, env, fail);
  }
  checkSecretFitsAuthMethod(client, fail);
  return client;
}

type Fail = (field: string, problem: string) => ClientFileError;

function checkFieldTypes(raw: Entry, fail: Fail): void {
  for (const field of STRING_FIELDS) {
    if (raw[field] !== undefined && typeof raw[field] !== 'string') {
      throw fail(field, 'expected a string');
    }
  }
  for (const field of LIST_FIELDS) {
    const value = raw[field];
    if (value === undefined) continue;
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && item)) {
      throw fail(field, 'expected a list of non-empty strings');
    }
  }
  for (const field of BOOLEAN_FIELDS) {
    if (raw[field] !== undefined && typeof raw[field] !== 'boolean') {
      throw fail(field, 'expected true or false');
    }
  }
  if (raw.metadata !== undefined && !isEntry(raw.metadata)) {
    throw fail('metadata', 'expected an object');
  }
}

/** Hydra compares redirect URIs as exact strings, so each must be a complete absolute URL. */
function checkUris(raw: Entry, fail: Fail): void {
  for (const field of ['redirect_uris', 'post_logout_redirect_uris'] as const) {
    const uris = (raw[field] ?? []) as string[];
    uris.forEach((uri, index) => {
      if (!URL.canParse(uri)) throw fail(`${field}[${index}]`, `not an absolute URL: ${uri}`);
    });
  }
}

function resolveReferences(value: string, env: Environment, fail: Fail): string {
  const resolved = value.replace(VARIABLE_REFERENCE, (_match, name: string) => {
    const replacement = env[name];
    if (replacement === undefined || replacement === '') {
      throw fail('client_secret', `environment variable ${name} is not set`);
    }
    return replacement;
  });
  if (resolved === '') throw fail('client_secret', 'must not be empty');
  return resolved;
}

/**
 * A confidential client needs a declared secret: left out, Hydra would invent one on create
 * that nobody could read back, and the storefront could never authenticate.
 */
function checkSecretFitsAuthMethod(client: DeclaredClient, fail: Fail): void {
  const method = client.token_endpoint_auth_method ?? DEFAULT_AUTH_METHOD;
  const needsSecret = SECRET_AUTH_METHODS.includes(method);
  if (needsSecret && client.client_secret === undefined) {
    throw fail('client_secret', `required with token_endpoint_auth_method ${method}`);
  }
  if (!needsSecret && client.client_secret !== undefined) {
    throw fail('client_secret', `not used with token_endpoint_auth_method ${method}; remove it`);
  }
}

function rejectDuplicateIds(clients: DeclaredClient[], file: string): void {
  const seen = new Set<string>();
  clients.forEach((client, index) => {
    if (seen.has(client.client_id)) {
      const problem = `${client.client_id} is declared twice`;
      throw new ClientFileError(file, `[${index}].client_id`, problem);
    }
    seen.add(client.client_id);
  });
}

function isEntry(value: unknown): value is Entry {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
