/**
 * The board with the tools a learner already has, over HTTPS they verify: curl with a cookie jar, and the
 * tutorials' Python (urllib with an http.cookiejar and ssl.create_default_context(cafile=…)), each reading the
 * form's CSRF token, registering or logging in, posting, and reading the post back. Neither sends fetch
 * metadata, so the token alone lets them in.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { expect, it } from 'vitest';
import { describeBoard, register, useBoard } from '../../support/board.ts';
import { expectCleanStop } from '../../support/checks.ts';
import { hasCurl, hasPython } from '../../support/tools.ts';

const password = 'correct horse battery staple';
const python = `
import html, http.cookiejar, re, ssl, sys, urllib.parse, urllib.request
base, cafile = sys.argv[1], sys.argv[2]
context = ssl.create_default_context(cafile=cafile)
opener = urllib.request.build_opener(
    urllib.request.HTTPSHandler(context=context),
    urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
def token(page):
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)
def submit(form_page, action, fields):
    page = opener.open(base + form_page).read().decode()
    data = urllib.parse.urlencode({"csrf": token(page), **fields}).encode()
    return opener.open(base + action, data)  # follows the 303 to the board
opener.open(base + "/login")
board = submit("/login", "/login", {"name": "alice", "password": "${password}"}).read().decode()
print("signed in as alice" in board)
board = submit("/", "/posts", {"body": "from Python's urllib"}).read().decode()
for post in re.findall(r"<article><p>(.*?)</p>", board):
    print(html.unescape(post))
`;

describeBoard('board with curl and Python', () => {
  const board = useBoard();

  it.runIf(hasCurl || process.env.CI)(
    'curl registers, keeps the __Host- cookie in its jar, posts and reads (skipped without curl)',
    async () => {
      const { server } = await board.start();
      const dir = mkdtempSync(path.join(tmpdir(), 'curl-'));
      try {
        const base = `https://localhost:${server.port}`;
        const curl = (...args: string[]) =>
          execa(
            'curl',
            [
              '-s',
              '--cacert',
              board.certs.file('ca.crt'),
              '--resolve',
              `localhost:${server.port}:127.0.0.1`,
              '-b',
              'jar',
              '-c',
              'jar',
              ...args,
            ],
            { cwd: dir },
          );
        const form = await curl(`${base}/register`);
        const csrf = /name="csrf" value="([^"]+)"/.exec(form.stdout)?.[1] ?? '';
        const fields = [
          '--data-urlencode',
          `csrf=${csrf}`,
          '--data-urlencode',
          'name=carol',
          '--data-urlencode',
          `password=${password}`,
        ];
        const registered = await curl(
          '-o',
          '/dev/null',
          '-w',
          '%{http_code} %{redirect_url}',
          ...fields,
          `${base}/register`,
        );
        expect(registered.stdout).toBe(`303 ${base}/`);
        // curl's jar marks the cookie HttpOnly and Secure, for this host only.
        expect(readFileSync(path.join(dir, 'jar'), 'utf8')).toMatch(
          /^#HttpOnly_localhost\tFALSE\t\/\tTRUE\t\d+\t__Host-session\t[\w-]{43}$/m,
        );
        // Signing in started a new session, with a new token: the form on the board carries it.
        const token = /name="csrf" value="([^"]+)"/.exec((await curl(`${base}/`)).stdout)?.[1] ?? '';
        const post = ['--data-urlencode', `csrf=${token}`, '--data-urlencode', 'body=from curl'];
        const posted = await curl('-o', '/dev/null', '-w', '%{http_code}', ...post, `${base}/posts`);
        expect(posted.stdout).toBe('303');
        const page = await curl(`${base}/`);
        expect(page.stdout).toContain('signed in as carol');
        expect(page.stdout).toContain('<p>from curl</p>');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      await expectCleanStop(server);
    },
  );

  it.runIf(hasPython || process.env.CI)(
    'the tutorials’ Python logs in with urllib and a cookie jar, and posts (skipped without python3)',
    async () => {
      const { server, client } = await board.start();
      await register(client(), 'alice');
      const run = await execa(
        'python3',
        ['-c', python, `https://localhost:${server.port}`, board.certs.file('ca.crt')],
        { reject: false },
      );
      expect(run).toMatchObject({ exitCode: 0, stderr: '' });
      expect(run.stdout).toBe("True\nfrom Python's urllib");
      await expectCleanStop(server);
    },
  );
});
