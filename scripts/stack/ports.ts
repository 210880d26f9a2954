import { createServer, type AddressInfo } from 'node:net';

import { PortInUseError } from './errors';

/**
 * Ports handed out by this process. The kernel may hand the same ephemeral port to two
 * `listen(0)` calls in a row once the first is closed, and a caller often asks for several
 * ports (Hydra public and admin) before any server binds them; remembering them keeps the
 * answers distinct within one process.
 */
const handedOut = new Set<number>();

const maxAttempts = 20;

/** A TCP port on 127.0.0.1 that was free a moment ago and that this process has not handed out. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const port = await portChosenByKernel();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port on 127.0.0.1 after ${maxAttempts} attempts`);
}

function portChosenByKernel(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

/** Throws PortInUseError when 127.0.0.1:`port` cannot be bound right now. */
export async function assertPortFree(component: string, port: number): Promise<void> {
  const server = createServer();
  const bound = await new Promise<boolean>((resolveBind) => {
    server.once('error', () => resolveBind(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => resolveBind(true));
  });
  if (!bound) throw new PortInUseError(component, port);
  await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
}
