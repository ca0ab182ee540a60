/**
 * The board from a script, with fetch: what a browser does for a person, done by hand. It keeps the session cookie
 * it is given, reads the CSRF token from each form before posting it, and sees each 303 instead of following it,
 * the counterpart of a Python requests.Session (tutorial 002 §4.2). `forge` sends what another site's hidden form
 * would (Origin and Sec-Fetch-Site of that site), to show the board refusing it.
 *
 * Run:    BOARD_PASSWORD='correct horse battery staple' node examples/07-web/src/board-client.ts --ca certs/ca.crt --name alice register post 'Hello' read
 * Try:    the steps register, login, post TEXT, read, forge TEXT and logout, in any order
 * Expect: "POST /register: 303 See Other, to /", then "alice: Hello" under "GET /: 200 OK"; forge prints
 *         "POST /posts from https://evil.example: 403 Forbidden, refused"
 * Stop:   it exits by itself: 0 when every step did what it should, 1 at the first that did not
 */
import { Agent, fetch } from 'undici';
import * as cli from './cli.ts';

const flags = cli.parseFlags(
  {
    name: 'board-client',
    about: 'Runs steps against the board: register, login, post TEXT, read, forge TEXT, logout.',
    positionals: 'STEP...',
  },
  {
    ...cli.connectTo(4443),
    ca: cli.text(undefined, 'trust the certificate authority in FILE (default: the system CAs)', { value: 'FILE' }),
    name: cli.text('alice', 'the account to register or log in as', { value: 'NAME' }),
    password: cli.text(undefined, 'its password; better in $BOARD_PASSWORD, which ps does not show', {
      env: 'BOARD_PASSWORD',
    }),
    timeout: cli.duration(10_000, 'give up on a request after MS milliseconds'),
  },
);
const { host, port, name, password = '', timeout } = flags;
// A browser asks for the name on the certificate (localhost, for 127.0.0.1), and so does this script.
const origin = `https://${host === '127.0.0.1' ? 'localhost' : host}:${port}`;
const dispatcher = new Agent({ connect: { ca: flags.ca ? cli.readFlagFile(flags.ca) : undefined } });
let cookie = '';

// One request, as a browser would send it from one of the board's own pages (or, for forge, from another site's).
async function request(method: string, path: string, form?: Record<string, string>, from = origin) {
  const headers: Record<string, string> = cookie ? { cookie } : {};
  if (form) Object.assign(headers, { origin: from, 'sec-fetch-site': from === origin ? 'same-origin' : 'cross-site' });
  const body = form && new URLSearchParams(form);
  const signal = AbortSignal.timeout(timeout);
  const response = await fetch(`${origin}${path}`, { method, headers, body, redirect: 'manual', dispatcher, signal });
  // The board's cookie is a session: keep what it sets, send it back with every request.
  for (const line of response.headers.getSetCookie()) cookie = line.split(';')[0] ?? '';
  const page = await response.text();
  const location = response.headers.get('location');
  const status = `${response.status} ${response.statusText}${location ? `, to ${location}` : ''}`;
  return {
    status: response.status,
    page,
    shown: `${method} ${path}${from === origin ? '' : ` from ${from}`}: ${status}`,
  };
}
const text = (html: string) =>
  cli.printable(
    html.replace(/<[^>]*>/g, '').replace(/&(lt|gt|quot|#39|amp);/g, (_, entity: string) => entities[entity] ?? ''),
  );
const entities: Record<string, string> = { lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' };
const tokenOf = (page: string) => /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
const problem = (page: string) =>
  text(/<p class="error">(.*?)<\/p>/.exec(page)?.[1] ?? /<main>(.*?)<\/main>/s.exec(page)?.[1] ?? '');

// Each step: the page whose form it fills (for the CSRF token and, the first time, a session), what it posts and
// from where, and the status that means it did what it should. read only fetches the board.
interface Step {
  page: string;
  action?: string;
  fields?: Record<string, string>;
  from?: string;
  expect: number;
}
function plan(kind: string, argument = ''): Step {
  if (kind === 'register' || kind === 'login')
    return { page: `/${kind}`, action: `/${kind}`, fields: { name, password }, expect: 303 };
  if (kind === 'post') return { page: '/', action: '/posts', fields: { body: argument }, expect: 303 };
  if (kind === 'forge')
    return { page: '/', action: '/posts', fields: { body: argument }, from: 'https://evil.example', expect: 403 };
  if (kind === 'logout') return { page: '/', action: '/logout', expect: 303 };
  if (kind === 'read') return { page: '/', expect: 200 };
  cli.fail(`unknown step '${kind}'; the steps are register, login, post TEXT, read, forge TEXT, logout`);
}
const steps: Step[] = [];
for (let index = 0; index < flags.positionals.length; index += 1) {
  const kind = flags.positionals[index] ?? '';
  const takesText = kind === 'post' || kind === 'forge';
  if (takesText && index + 1 >= flags.positionals.length) cli.fail(`${kind} needs its text`);
  steps.push(plan(kind, takesText ? flags.positionals[++index] : undefined));
}
if (steps.length === 0) cli.fail('expected at least one step: register, login, post TEXT, read, forge TEXT, logout');

try {
  for (const step of steps) {
    const form = await request('GET', step.page);
    if (!step.action) {
      console.log(form.shown);
      for (const [, body = '', author = ''] of form.page.matchAll(/<article><p>(.*?)<\/p><footer>([^,]*),/gs))
        console.log(`  ${text(author)}: ${text(body)}`);
      continue;
    }
    const sent = await request('POST', step.action, { csrf: tokenOf(form.page), ...step.fields }, step.from);
    console.log(`${sent.shown}${sent.status === 403 && step.expect === 403 ? ', refused' : ''}`);
    if (sent.status !== step.expect) cli.fail(`got ${sent.status}, not ${step.expect}: ${problem(sent.page)}`);
  }
} catch (error) {
  const cause = ((error as Error).cause ?? error) as NodeJS.ErrnoException;
  const hint = /CERT|SIGNATURE/.test(cause.code ?? '') && !flags.ca ? '; give its CA with --ca' : '';
  cli.fail(`${host}:${port}: ${cli.explain(cause)}${hint}`);
}
