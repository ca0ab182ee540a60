/**
 * A hand-driven game player for the game specs, the soak and the bench: a UDP socket that speaks game-protocol.ts (the
 * example's own codec) message by message, so a spec can join, move, forge and wait for answers.
 */
import dgram from 'node:dgram';
import { decode, encode, type Message, protocolVersion } from '../../examples/05-udp/src/game-protocol.ts';

type Of<T extends Message['type']> = Extract<Message, { type: T }>;

export class GamePeer {
  readonly socket = dgram.createSocket('udp4');
  readonly received: Message[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly serverPort: number;

  constructor(serverPort: number) {
    this.serverPort = serverPort;
    this.socket.on('message', (datagram) => {
      const message = decode(datagram);
      if (message) this.received.push(message);
      for (const waiter of this.waiters) waiter();
    });
  }

  send(message: Message | Buffer): Promise<void> {
    const datagram = Buffer.isBuffer(message) ? message : encode(message);
    return new Promise((resolve) => this.socket.send(datagram, this.serverPort, '127.0.0.1', () => resolve()));
  }

  /** Resolves with the first received message of `type` that passes `check`, or fails after `timeoutMs`. */
  next<T extends Message['type']>(type: T, check: (message: Of<T>) => boolean = () => true, timeoutMs = 5000) {
    return new Promise<Of<T>>((resolve, reject) => {
      const look = () => {
        const found = this.received.find((message) => message.type === type && check(message as Of<T>));
        if (!found) return;
        clearTimeout(timer);
        this.waiters.delete(look);
        resolve(found as Of<T>);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(look);
        reject(new Error(`no ${type} within ${timeoutMs} ms; received ${JSON.stringify(this.received.slice(-3))}`));
      }, timeoutMs);
      this.waiters.add(look);
      look();
    });
  }

  /** Joins as `name` and confirms the address with an empty input, as game-client does. */
  async join(name: string): Promise<Of<'welcome'>> {
    await this.send({ type: 'join', version: protocolVersion, name });
    const welcome = await this.next('welcome');
    await this.send({ type: 'input', player: welcome.player, token: welcome.token, firstSequence: 1, moves: [] });
    return welcome;
  }

  close(): void {
    this.socket.close();
  }
}
