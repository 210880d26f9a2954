/**
 * The few HTTP calls the doctor makes itself, with a timeout on each: a doctor that hangs on
 * a firewalled port diagnoses nothing.
 */
export interface Answer {
  status: number;
  location?: string;
  body: string;
  setCookies: string[];
}

export class NoAnswerError extends Error {
  override name = 'NoAnswerError';
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`${url} does not answer: ${reason}`);
  }
}

export async function ask(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs: number },
): Promise<Answer> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? 'GET',
      headers: init.headers,
      body: init.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(init.timeoutMs),
    });
  } catch (error) {
    throw new NoAnswerError(url, causeOf(error));
  }
  return {
    status: response.status,
    location: response.headers.get('location') ?? undefined,
    body: await response.text(),
    setCookies: response.headers.getSetCookie(),
  };
}

/** Node's fetch hides the useful part (ECONNREFUSED) in `cause`. */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Just enough of a cookie jar to carry Hydra's CSRF cookies through one probe: name=value per
 * host, no paths or expiry, since the probe lives for a second and talks to two hosts.
 */
export class ProbeCookies {
  private readonly byHost = new Map<string, Map<string, string>>();

  remember(url: string, setCookies: string[]): void {
    const host = new URL(url).host;
    const jar = this.byHost.get(host) ?? new Map<string, string>();
    for (const header of setCookies) {
      const [pair = ''] = header.split(';');
      const separator = pair.indexOf('=');
      if (separator > 0) jar.set(pair.slice(0, separator).trim(), pair.slice(separator + 1));
    }
    this.byHost.set(host, jar);
  }

  headerFor(url: string): Record<string, string> {
    const jar = this.byHost.get(new URL(url).host);
    if (!jar || jar.size === 0) return {};
    return { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') };
  }
}
