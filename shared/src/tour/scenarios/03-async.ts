/**
 * 03-async on stage: the event loop's order, a slow echo server answering requests one after
 * another, all at once and a few at a time, and a chat between nc, chat-client and, through the
 * web door (chat-web), a WebSocket client.
 */
import type { Scenario } from '../scene.ts';

export const asyncScenario: Scenario = {
  area: '03-async',
  title: 'Asynchronous I/O',
  async play(scene) {
    scene.replace(/ran after \d+ ms/g, 'ran after <ms> ms');
    scene.replace(/ failed in \d+ ms/g, ' failed in <ms> ms');

    await scene.run('event-loop');

    const echo = await scene.start('async-echo-server', 8070, {
      args: ['--delay', '200'],
    });
    const port = ['--port', String(echo.server.port)];
    const result = await scene.run('concurrent-client', {
      args: [...port, '--requests', '10', '--limit', '5'],
    });
    const times = new Map(
      [...result.stdout.matchAll(/^(.+): \d+ ok, .* in (\d+) ms$/gm)].map(([, way, ms]) => [way, Number(ms)]),
    );
    const speedup = (times.get('sequential') ?? 0) / (times.get('all at once') ?? Number.POSITIVE_INFINITY);
    scene.note(`all at once was ${speedup >= 4 ? 'at least' : 'less than'} 4 times faster than one after another`);
    // The client is done when it has its answers; the server may log the last closes a moment later.
    const closed = () => echo.server.stdoutLines.filter((line) => line.startsWith('closed ')).length;
    await echo.server.waitFor('30 closed connections', () => (closed() === 30 ? true : undefined));
    await scene.stop(echo, { hide: /^(connected|closed) / });

    const chat = await scene.start('chat-server', 8071);
    const bob = await scene.nc(chat);
    bob.type('bob');
    await bob.showUntil(/^welcome bob!/);
    await scene.run('chat-client', {
      args: ['--port', String(chat.server.port), '--nick', 'alice'],
      input: 'hi bob\n',
    });
    await bob.showUntil(/^\* alice left$/);

    // The web door: the same room, reached over WebSocket (a browser page, or this terminal client).
    const web = await scene.start('chat-web', 8072, { args: ['--room-port', String(chat.server.port)] });
    await scene.run('chat-ws-client', {
      args: ['--nick', 'dave', '--url', `ws://127.0.0.1:${web.server.port}/chat`],
      input: 'hi from a WebSocket\n',
    });
    await bob.showUntil(/^\* dave left$/);
    // The room can tell bob before the gateway has finished closing dave's WebSocket.
    await scene.waitFor(web, /^closed /);
    await scene.stop(web);
    bob.type('/quit');
    await bob.showUntil(/^bye bob$/);
    await scene.stop(chat);
  },
};
