import { Agent, request } from 'undici';
import { CookieJar } from 'tough-cookie';

/** What one hop answered: enough to decide the next hop. */
export interface Answer {
  url: string;
  status: number;
  location: string | undefined;
  body: string;
}

/**
 * One shared connection pool for every simulated browser. Real browsers each keep their own
 * connections; sharing keep-alive sockets here keeps the client's own cost low, and both
 * providers are driven the same way.
 */
export function createPool(connectionsPerOrigin: number): Agent {
  return new Agent({
    connections: connectionsPerOrigin,
    pipelining: 1,
    // Shorter than any server's idle timeout, so the client never reuses a socket the server
    // is closing at that moment (undici then fails the request with "other side closed").
    keepAliveTimeout: 1_000,
    keepAliveMaxTimeout: 1_000,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
}

/** A browser without a browser: a cookie jar, and one request per hop (no auto-redirects). */
export class Browser {
  readonly jar = new CookieJar();

  constructor(private readonly pool: Agent) {}

  async get(url: string): Promise<Answer> {
    return this.send(url, 'GET', undefined);
  }

  async postForm(url: string, form: Record<string, string>): Promise<Answer> {
    return this.send(url, 'POST', new URLSearchParams(form).toString());
  }

  private async send(url: string, method: 'GET' | 'POST', body: string | undefined) {
    const headers: Record<string, string> = { accept: 'text/html,application/json' };
    const cookie = this.jar.getCookieStringSync(url);
    if (cookie !== '') headers.cookie = cookie;
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';

    const response = await request(url, { method, headers, body, dispatcher: this.pool });
    this.storeCookies(url, response.headers['set-cookie']);
    const text = await response.body.text();
    const location = response.headers.location;
    return {
      url,
      status: response.statusCode,
      location: typeof location === 'string' ? new URL(location, url).toString() : undefined,
      body: text,
    };
  }

  private storeCookies(url: string, header: string | string[] | undefined): void {
    if (header === undefined) return;
    for (const setCookie of Array.isArray(header) ? header : [header]) {
      this.jar.setCookieSync(setCookie, url, { ignoreError: true });
    }
  }
}
