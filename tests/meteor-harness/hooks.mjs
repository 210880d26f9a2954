/**
 * Node module-resolution hook of the Meteor harness: `meteor/<name>` resolves to this folder's
 * `modules/<name>.ts`, so the package's server glue loads unmodified. Plain JavaScript because
 * hooks run on their own thread, where no TypeScript loader applies to the hooks file itself.
 */
const PROVIDED = new Set([
  'meteor',
  'webapp',
  'accounts-base',
  'check',
  'ddp-rate-limiter',
  'email',
  'mongo',
]);

export async function resolve(specifier, context, nextResolve) {
  const name = /^meteor\/([a-z-]+)$/.exec(specifier)?.[1];
  if (name === undefined || !PROVIDED.has(name)) return nextResolve(specifier, context);
  // Handed on down the chain, so the TypeScript loader (tsx) resolves and loads the file.
  return nextResolve(new URL(`./modules/${name}.ts`, import.meta.url).href, context);
}
