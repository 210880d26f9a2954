import type { CoreResponse } from './types';

/**
 * Headers for every page of the flows. Challenges travel in URLs, so no referrer leaves these
 * pages; nothing here may be cached or framed.
 *
 * The CSP has no `form-action`: Chromium applies it to every redirect that follows a form
 * post, and a sign-in ends with redirects to Hydra and then to any client's redirect URI.
 */
export function setSecurityHeaders(res: CoreResponse): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader(
    'Content-Security-Policy',
    [
      "default-src 'none'",
      "style-src 'self'",
      "script-src 'self'",
      "img-src 'self' https: data:",
      "connect-src 'self'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
  );
}

export function sendHtml(res: CoreResponse, status: number, html: string): void {
  setSecurityHeaders(res);
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(html));
  res.end(html);
}

/**
 * Sends the browser on. 302 answers a GET and 303 a POST, so the next request is always a
 * GET; 301 is never used because browsers cache it, and these URLs are one-time.
 */
export function redirect(res: CoreResponse, method: string | undefined, location: string): void {
  setSecurityHeaders(res);
  res.statusCode = method === 'POST' ? 303 : 302;
  res.setHeader('Location', location);
  res.setHeader('Content-Length', 0);
  res.end();
}

export function sendText(res: CoreResponse, status: number, contentType: string, body: string) {
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}
