/**
 * Cross-site request forgery refused in layers (Flask-WTF's CSRFProtect does only the last one). Another site can
 * make a visitor's browser send a form here, with the visitor's cookies; three checks keep that from doing
 * anything, each enough on its own in the browsers it covers:
 * 1. SameSite=Lax on the session cookie (sessions.ts): a cross-site POST arrives without it.
 * 2. Fetch metadata: browsers say where a request comes from, in Sec-Fetch-Site (all current ones) or at least in
 *    Origin. A state-changing request from another site is refused whatever cookies it carries.
 * 3. A token: every form carries the session's random CSRF token, which another site cannot read.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Why a POST looks cross-site, or undefined when it does not (curl and other non-browsers send neither header). */
export function crossSiteReason(headers: IncomingHttpHeaders, ownOrigin: string): string | undefined {
  const site = headers['sec-fetch-site'];
  // "none" is the user's own doing (a bookmark, the address bar); "same-site" is a sibling subdomain: refused too.
  if (site !== undefined) return site === 'same-origin' || site === 'none' ? undefined : `Sec-Fetch-Site: ${site}`;
  const origin = headers.origin;
  if (origin !== undefined && origin !== ownOrigin) return `Origin: ${origin}`;
  return undefined;
}

/** Whether a form's token is the session's, compared in constant time. */
export function tokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
