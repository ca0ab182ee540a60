/**
 * A client for 07-web's board, for the suite and the bench, that behaves like a browser in what the board's rules
 * depend on: it speaks HTTPS and verifies the server by the development CA, keeps the cookies it is given
 * (honouring what __Host- and Secure mean), never follows redirects by itself (so a spec sees each 303), and sends
 * forms urlencoded with the headers a browser adds: Origin and Sec-Fetch-Site of the page the form is on
 * (same-origin unless told otherwise).
 */
import https from 'node:https';

export interface WebReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The Set-Cookie lines of this answer, as they came. */
  setCookies: string[];
}

export class WebClient {
  readonly cookies = new Map<string, string>();
  readonly origin: string;
  private readonly tls: { ca: Buffer; servername: string };
  private readonly port: number;

  constructor(port: number, tls: { ca: Buffer; servername: string }) {
    this.port = port;
    this.tls = tls;
    this.origin = `https://localhost:${port}`;
  }

  get(path: string, headers: Record<string, string | undefined> = {}): Promise<WebReply> {
    return this.request('GET', path, headers);
  }

  /**
   * Posts a form as a page of this board would (same-origin), unless `headers` say otherwise; a header given as
   * undefined is not sent, as from a browser too old to send it or from a client that is no browser.
   */
  post(
    path: string,
    form: Record<string, string>,
    headers: Record<string, string | undefined> = {},
  ): Promise<WebReply> {
    const body = new URLSearchParams(form).toString();
    return this.request(
      'POST',
      path,
      {
        'content-type': 'application/x-www-form-urlencoded',
        origin: this.origin,
        'sec-fetch-site': 'same-origin',
        ...headers,
      },
      body,
    );
  }

  /** Fetches a form page and posts that form with its CSRF token, as a person filling it in would. */
  async submit(formPage: string, action: string, form: Record<string, string>): Promise<WebReply> {
    const page = await this.get(formPage);
    return this.post(action, { csrf: csrfToken(page.body), ...form });
  }

  request(method: string, path: string, headers: Record<string, string | undefined>, body = ''): Promise<WebReply> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const given = Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined);
    const allHeaders = {
      // A browser asks for the name it was given, which is the name the certificate is for.
      host: `localhost:${this.port}`,
      ...(cookie ? { cookie } : {}),
      'content-length': String(Buffer.byteLength(body)),
      ...Object.fromEntries(given),
    };
    return new Promise((resolve, reject) => {
      const request = https.request(
        {
          host: '127.0.0.1',
          port: this.port,
          path,
          method,
          headers: allHeaders,
          agent: false,
          timeout: 15_000,
          ...this.tls,
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            text += chunk;
          });
          response.once('end', () => {
            const setCookies = response.headers['set-cookie'] ?? [];
            for (const line of setCookies) this.keep(line);
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text, setCookies });
          });
          response.once('error', reject);
        },
      );
      request.once('timeout', () => request.destroy(new Error(`${method} ${path} timed out`)));
      request.once('error', reject);
      request.end(body);
    });
  }

  // A browser refuses a __Host- cookie that is not Secure, has a Domain, or a Path other than /.
  private keep(line: string): void {
    const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
    const [name = '', value = ''] = pair.split(/=(.*)/s);
    const has = (attribute: string) => attributes.some((a) => a.toLowerCase() === attribute.toLowerCase());
    if (name.startsWith('__Host-') && (!has('Secure') || !has('Path=/') || attributes.some((a) => /^domain=/i.test(a))))
      return;
    if (attributes.some((a) => /^max-age=0$/i.test(a))) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}

/** The CSRF token of the first form on a page. */
export function csrfToken(page: string): string {
  const token = /<input type="hidden" name="csrf" value="([^"]+)">/.exec(page)?.[1];
  if (!token) throw new Error(`no CSRF token on the page: ${page.slice(0, 300)}`);
  return token;
}
