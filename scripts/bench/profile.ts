import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** The parts of V8's `.cpuprofile` format this summary reads. */
export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string } }>;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileShare {
  where: string;
  selfMs: number;
  sharePct: number;
}

/**
 * Self time by where the code lives: a package under node_modules, a file of ours, or one of
 * V8's pseudo-frames (garbage collector, program). Idle time is left out, so the shares are
 * of the time the process was busy.
 */
export function summariseProfile(profile: CpuProfile, top = 12): ProfileShare[] {
  const whereById = new Map(profile.nodes.map((node) => [node.id, locate(node.callFrame)]));
  const selfUs = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const where = whereById.get(id) ?? '(unknown)';
    const delta = profile.timeDeltas[index] ?? 0;
    if (where !== '(idle)') selfUs.set(where, (selfUs.get(where) ?? 0) + Math.max(0, delta));
  });

  const busyUs = [...selfUs.values()].reduce((sum, value) => sum + value, 0);
  return [...selfUs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([where, us]) => ({
      where,
      selfMs: Math.round(us / 1000),
      sharePct: busyUs === 0 ? 0 : Math.round((us / busyUs) * 1000) / 10,
    }));
}

/** `pkg:express`, `ours:packages/hydra-oauth/lib/flows/login.ts`, `node:internal/...`. */
export function locate(frame: { functionName: string; url: string }): string {
  if (frame.url === '') {
    const pseudo = frame.functionName.startsWith('(');
    return pseudo ? frame.functionName : `(native) ${frame.functionName}`;
  }
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.url);
  if (modules) return `pkg:${modules[1]}`;
  if (frame.url.startsWith('node:')) return `node:${frame.url.slice(5).split('/')[0]}`;
  const ours = /\/((?:packages|imports|scripts)\/.*)$/.exec(frame.url);
  return ours ? `ours:${ours[1]}` : frame.url;
}

/** The newest `.cpuprofile` in `dir`, summarised; undefined when the process wrote none. */
export async function summariseProfileDir(dir: string): Promise<
  { file: string; shares: ProfileShare[] } | undefined
> {
  const files = (await readdir(dir).catch(() => [] as string[]))
    .filter((name) => name.endsWith('.cpuprofile'))
    .sort();
  const newest = files.at(-1);
  if (newest === undefined) return undefined;
  const file = path.join(dir, newest);
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  return { file, shares: summariseProfile(profile) };
}
