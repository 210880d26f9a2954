/**
 * The client fields a file may declare, with Hydra's own names. Anything else is refused as a
 * probable typo: a misspelt `redirect_uri` silently ignored is exactly the mistake this tool
 * exists to catch.
 */
export const STRING_FIELDS = [
  'client_id',
  'client_name',
  'client_secret',
  'scope',
  'token_endpoint_auth_method',
  'owner',
  'client_uri',
  'logo_uri',
  'policy_uri',
  'tos_uri',
  'subject_type',
  'access_token_strategy',
  'frontchannel_logout_uri',
  'backchannel_logout_uri',
  'userinfo_signed_response_alg',
] as const;

export const LIST_FIELDS = [
  'redirect_uris',
  'post_logout_redirect_uris',
  'grant_types',
  'response_types',
  'audience',
  'allowed_cors_origins',
  'contacts',
] as const;

export const BOOLEAN_FIELDS = [
  'skip_consent',
  'skip_logout_consent',
  'frontchannel_logout_session_required',
  'backchannel_logout_session_required',
] as const;

export const OBJECT_FIELDS = ['metadata'] as const;

export type StringField = (typeof STRING_FIELDS)[number];
export type ListField = (typeof LIST_FIELDS)[number];
export type BooleanField = (typeof BOOLEAN_FIELDS)[number];

/** One client as declared in the file, after validation and secret resolution. */
export type DeclaredClient = { client_id: string } & Partial<Record<StringField, string>> &
  Partial<Record<ListField, string[]>> &
  Partial<Record<BooleanField, boolean>> & { metadata?: Record<string, unknown> };

/** Auth methods under which the client proves itself with a shared secret. */
export const SECRET_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'];

/** Hydra's default when a client names no method. */
export const DEFAULT_AUTH_METHOD = 'client_secret_basic';

/** The metadata key that holds the secret's digest; see secret.ts for why. */
export const SECRET_DIGEST_KEY = 'hydra_oauth_secret_digest';

export function isKnownField(name: string): boolean {
  return (
    (STRING_FIELDS as readonly string[]).includes(name) ||
    (LIST_FIELDS as readonly string[]).includes(name) ||
    (BOOLEAN_FIELDS as readonly string[]).includes(name) ||
    (OBJECT_FIELDS as readonly string[]).includes(name)
  );
}

/**
 * The metadata key listing the fields the file declared at the last apply. Only declared
 * fields are compared (Hydra fills in the rest), so without this list a field deleted from the
 * file would keep its old value in Hydra forever.
 */
export const DECLARED_FIELDS_KEY = 'hydra_oauth_declared_fields';
