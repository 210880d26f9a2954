import { CookieJar } from 'tough-cookie';

export interface Hop {
  method: string;
  url: string;
  status: number;
  location?: string;
}

/**
 * A browser without a browser: fetch with a cookie jar that follows redirects one hop at a
 * time, recording each, so tests can check every status and Location on the way.
 */
export class HttpAgent {
  readonly jar = new CookieJar();
  readonly hops: Hop[] = [];

  async request(
    url: string,
    init: { method?: string; form?: Record<string, string | string[]> } = {},
  ): Promise<Response> {
    const method = init.method ?? (init.form ? 'POST' : 'GET');
    const headers = new Headers();
    const cookie = await this.jar.getCookieString(url);
    if (cookie) headers.set('cookie', cookie);
    let body: string | undefined;
    if (init.form) {
      headers.set('content-type', 'application/x-www-form-urlencoded');
      body = encodeForm(init.form);
    }
    const response = await fetch(url, { method, headers, body, redirect: 'manual' });
    for (const setCookie of response.headers.getSetCookie()) {
      await this.jar.setCookie(setCookie, url, { ignoreError: true });
    }
    const location = response.headers.get('location') ?? undefined;
    this.hops.push({ method, url, status: response.status, location });
    return response;
  }

  /** Follows redirects until a page answers; returns it with the URL it came from. */
  async follow(
    url: string,
    init: { method?: string; form?: Record<string, string | string[]> } = {},
    options: { maxHops?: number; stopAt?: (url: string) => boolean } = {},
  ): Promise<{ response: Response; url: string }> {
    let response = await this.request(url, init);
    let current = url;
    for (let hop = 0; hop < (options.maxHops ?? 20) && isRedirect(response.status); hop += 1) {
      await response.body?.cancel();
      current = new URL(response.headers.get('location') ?? '', current).toString();
      if (!current.startsWith('http') || options.stopAt?.(current)) break;
      response = await this.request(current);
    }
    return { response, url: current };
  }
}

export function isRedirect(status: number): boolean {
  return status >= 300 && status < 400;
}

function encodeForm(form: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, item);
  }
  return params.toString();
}

/** Reads a named hidden input's value from a page. */
export function hiddenField(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!match?.[1]) throw new Error(`no hidden field ${name} in the page`);
  return match[1].replaceAll('&amp;', '&');
}
