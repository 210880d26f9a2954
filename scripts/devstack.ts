import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { newMeteorUserDocument } from '../packages/hydra-oauth/lib/accounts/meteorUsers';
import {
  applyPlan,
  clientsAdmin,
  parseClientFile,
  planClients,
} from '../packages/hydra-oauth/lib/clients';
import { SETTINGS_KEY } from '../packages/hydra-oauth/lib/settings';
import { readHostConfig } from '../imports/standalone/config';
import { startStandalone } from '../imports/standalone/server';
import { startStorefront } from '../imports/storefront/server';
import { freePort, startFerretDb, startHydra, type HydraOptions } from './stack';

export const DEMO_USER = {
  email: 'shopper@example.com',
  username: 'shopper',
  password: 'correct horse battery staple',
  name: 'Demo Shopper',
} as const;

export const STOREFRONT_CLIENT_ID = 'storefront';

export interface DemoStackOptions {
  dataDir: string;
  /** Fixed ports for `npm start`; tests leave them out and get free ones. */
  ports?: Partial<Record<'idp' | 'storefront' | 'hydraPublic' | 'hydraAdmin' | 'mongo', number>>;
  ttl?: HydraOptions['ttl'];
  logDir?: string;
  /** How long the API reuses a token check (settings `tokens.cacheSeconds`). */
  tokenCacheSeconds?: number;
  /**
   * SMTP for reset and verification mail (`MAIL_URL`). Without it mail is written to
   * `<dataDir>/mail/*.eml` and its links printed on the console.
   */
  mailUrl?: string;
}

export interface DemoStack {
  storefrontUrl: string;
  idpUrl: string;
  hydraPublicUrl: string;
  hydraAdminUrl: string;
  mongoUrl: string;
  settingsFile: string;
  demoUserId: string;
  storefrontClientSecret: string;
  stop(): Promise<void>;
}

/**
 * The whole demo on loopback: FerretDB for the users, Hydra, the identity provider on the
 * standalone host and the example storefront registered as a trusted client. Each part stops
 * in reverse order, including when a later part fails to start.
 */
export async function startDemoStack(options: DemoStackOptions): Promise<DemoStack> {
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    return await assemble(options, stops, stopAll);
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function assemble(
  options: DemoStackOptions,
  stops: Array<() => Promise<void>>,
  stopAll: () => Promise<void>,
): Promise<DemoStack> {
  const ports = await resolvePorts(options.ports ?? {});
  const logDir = options.logDir ?? path.join(options.dataDir, 'logs');
  await mkdir(logDir, { recursive: true });
  const idpUrl = `http://127.0.0.1:${ports.idp}`;
  const storefrontUrl = `http://127.0.0.1:${ports.storefront}`;

  const ferret = await startFerretDb({
    dataDir: path.join(options.dataDir, 'ferretdb'),
    port: ports.mongo,
    logFile: path.join(logDir, 'ferretdb.log'),
  });
  stops.push(() => ferret.stop());
  const mongoUrl = `${ferret.url.replace(/\/$/, '')}/demand`;

  const hydra = await startHydra({
    dataDir: path.join(options.dataDir, 'hydra'),
    publicPort: ports.hydraPublic,
    adminPort: ports.hydraAdmin,
    loginUrl: `${idpUrl}/account/login`,
    consentUrl: `${idpUrl}/account/consent`,
    logoutUrl: `${idpUrl}/account/logout`,
    postLogoutRedirectUrl: storefrontUrl,
    ttl: options.ttl,
    logFile: path.join(logDir, 'hydra.log'),
  });
  stops.push(() => hydra.stop());

  const storefrontSecret = await persistentSecret(options.dataDir, 'storefront-client-secret');
  await registerStorefront(hydra.adminUrl, storefrontUrl, storefrontSecret);
  const demoUserId = await seedDemoUser(mongoUrl);

  const settingsFile = await writeSettings(options.dataDir, {
    adminUrl: hydra.adminUrl,
    publicUrl: hydra.publicUrl,
    storefrontUrl,
    csrfSecret: await persistentSecret(options.dataDir, 'csrf-secret'),
    tokenCacheSeconds: options.tokenCacheSeconds,
    providerUrl: idpUrl,
  });
  const mailEnv = options.mailUrl
    ? { MAIL_URL: options.mailUrl }
    : { MAIL_DIR: path.join(options.dataDir, 'mail') };
  const idp = await startStandalone(
    readHostConfig({ MONGO_URL: mongoUrl, PORT: String(ports.idp), ...mailEnv }, settingsFile),
  );
  stops.push(() => idp.close());

  const storefront = await startStorefront({
    port: ports.storefront,
    issuer: hydra.issuer,
    clientId: STOREFRONT_CLIENT_ID,
    clientSecret: storefrontSecret,
    baseUrl: storefrontUrl,
    sessionSecret: await persistentSecret(options.dataDir, 'storefront-session-secret'),
    apiUrl: `${idpUrl}/graphql`,
  });
  stops.push(() => storefront.close());

  return {
    storefrontUrl,
    idpUrl,
    hydraPublicUrl: hydra.publicUrl,
    hydraAdminUrl: hydra.adminUrl,
    mongoUrl,
    settingsFile,
    demoUserId,
    storefrontClientSecret: storefrontSecret,
    stop: stopAll,
  };
}

async function resolvePorts(fixed: NonNullable<DemoStackOptions['ports']>) {
  return {
    idp: fixed.idp ?? (await freePort()),
    storefront: fixed.storefront ?? (await freePort()),
    hydraPublic: fixed.hydraPublic ?? (await freePort()),
    hydraAdmin: fixed.hydraAdmin ?? (await freePort()),
    mongo: fixed.mongo ?? (await freePort()),
  };
}

/** The storefront's registration, in the client file format of `hydra-oauth clients apply`. */
export function storefrontClientDeclaration(storefrontUrl: string) {
  return {
    client_id: STOREFRONT_CLIENT_ID,
    client_name: 'Demand storefront',
    client_secret: '${STOREFRONT_CLIENT_SECRET}',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    scope: 'openid offline_access email profile',
    redirect_uris: [`${storefrontUrl}/callback`],
    post_logout_redirect_uris: [`${storefrontUrl}/signed-out`],
    backchannel_logout_uri: `${storefrontUrl}/backchannel-logout`,
    backchannel_logout_session_required: true,
    token_endpoint_auth_method: 'client_secret_basic',
  };
}

/**
 * The storefront is the shop's own app: trusted, so its users never see a consent screen. It
 * goes through the same code as `npx hydra-oauth clients apply`, with the secret passed the way
 * a shop's client file would reference it, so a restart changes nothing in Hydra.
 */
export async function registerStorefront(adminUrl: string, storefrontUrl: string, secret: string) {
  const file = JSON.stringify([storefrontClientDeclaration(storefrontUrl)]);
  const declared = parseClientFile(file, 'storefront client', { STOREFRONT_CLIENT_SECRET: secret });
  const admin = clientsAdmin(adminUrl);
  await applyPlan(admin, planClients(declared, await admin.list(), { prune: false }));
}

/** Seeds the demo shopper once, stored exactly as Meteor's `Accounts.createUser` stores users. */
async function seedDemoUser(mongoUrl: string): Promise<string> {
  const client = new MongoClient(mongoUrl);
  try {
    const users = client.db().collection<{ _id: string }>('users');
    const existing = await users.findOne({ 'emails.address': DEMO_USER.email });
    if (existing) return existing._id;
    const doc = await newMeteorUserDocument({ ...DEMO_USER, verified: true });
    await users.insertOne(doc as never);
    return doc._id;
  } finally {
    await client.close();
  }
}

async function writeSettings(
  dataDir: string,
  values: {
    adminUrl: string;
    publicUrl: string;
    storefrontUrl: string;
    csrfSecret: string;
    tokenCacheSeconds?: number;
    providerUrl: string;
  },
): Promise<string> {
  const file = path.join(dataDir, 'settings.json');
  const settings = {
    packages: {
      [SETTINGS_KEY]: {
        hydra: { adminUrl: values.adminUrl, publicUrl: values.publicUrl },
        trustedClients: [STOREFRONT_CLIENT_ID],
        csrf: { secret: values.csrfSecret },
        storefrontUrl: values.storefrontUrl,
        providerUrl: values.providerUrl,
        ...(values.tokenCacheSeconds === undefined
          ? {}
          : { tokens: { cacheSeconds: values.tokenCacheSeconds } }),
      },
    },
  };
  await writeFile(file, `${JSON.stringify(settings, null, 2)}\n`);
  return file;
}

/** A random secret kept in the data folder, so a restart keeps clients and sessions working. */
async function persistentSecret(dataDir: string, name: string): Promise<string> {
  const file = path.join(dataDir, 'secrets', name);
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    await mkdir(path.dirname(file), { recursive: true });
    const secret = randomBytes(32).toString('base64url');
    await writeFile(file, secret, { mode: 0o600 });
    return secret;
  }
}
