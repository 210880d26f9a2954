import path from 'node:path';
import { DEMO_USER, startDemoStack } from './devstack';
import { repoRoot } from './stack/paths';

/**
 * `npm start`: the whole demo on loopback with data kept in `.data/`. Ports come from the
 * environment so a busy port can be moved without editing anything.
 */
function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`${name} must be a port number, got ${JSON.stringify(raw)}`);
  }
  return port;
}

async function main() {
  const ports = {
    idp: portFromEnv('IDP_PORT', 3000),
    storefront: portFromEnv('STOREFRONT_PORT', 4000),
    hydraPublic: portFromEnv('HYDRA_PUBLIC_PORT', 4444),
    hydraAdmin: portFromEnv('HYDRA_ADMIN_PORT', 4445),
    mongo: portFromEnv('FERRETDB_PORT', 27017),
  };
  const dataDir = path.join(repoRoot, '.data');
  console.log('starting FerretDB, Hydra, the identity provider and the storefront…');
  const stack = await startDemoStack({ dataDir, ports });

  console.log(`
  Storefront          ${stack.storefrontUrl}   ← open this and sign in
  Identity provider   ${stack.idpUrl}/account/login
  Hydra public        ${stack.hydraPublicUrl}
  Hydra admin         ${stack.hydraAdminUrl}   (loopback only)
  Users (FerretDB)    ${stack.mongoUrl}

  Demo sign-in        ${DEMO_USER.email}  /  ${DEMO_USER.password}
  Settings            ${path.relative(repoRoot, stack.settingsFile)}
  Logs                .data/logs/

  Press Ctrl-C to stop.`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    stack.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
