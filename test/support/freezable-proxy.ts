import net from 'node:net';

export interface FreezableProxy {
  /** `url` with its host and port replaced by the proxy's. */
  url(url: string): string;
  /**
   * Stops forwarding, both ways, on every connection open or opened from now on, without closing any:
   * a frozen server, a paused VM, a network partition. Nothing is lost: thaw() forwards what waited.
   */
  freeze(): void;
  /** Freezes the moment a client sends a message containing `text` (held, not forwarded): mid-request. */
  freezeOn(text: string): void;
  thaw(): void;
  close(): Promise<void>;
}

/** One direction of one connection: what arrives is written on, or held while frozen. */
interface Leg {
  to: net.Socket;
  held: Buffer[];
}

/**
 * A TCP proxy in front of PostgreSQL that a test can freeze: the portable way to make the database stop
 * answering (SIGSTOP needs the server's processes, and the shared test server must keep serving the other
 * suites). Only this proxy's connections, the app's, are frozen.
 */
export async function startFreezableProxy(target: { host: string; port: number }): Promise<FreezableProxy> {
  let frozen = false;
  let trigger: string | undefined;
  const legs = new Set<Leg>();
  const sockets = new Set<net.Socket>();

  const relay = (from: net.Socket, leg: Leg, upstream: boolean) => {
    from.on('data', (chunk: Buffer) => {
      if (upstream && trigger !== undefined && chunk.includes(trigger)) {
        frozen = true;
        trigger = undefined;
      }
      if (frozen) leg.held.push(chunk);
      else leg.to.write(chunk);
    });
  };

  const server = net.createServer((client) => {
    const server = net.connect(target);
    const up: Leg = { to: server, held: [] };
    const down: Leg = { to: client, held: [] };
    relay(client, up, true);
    relay(server, down, false);
    legs.add(up).add(down);
    sockets.add(client).add(server);
    const end = () => {
      legs.delete(up);
      legs.delete(down);
      for (const s of [client, server]) {
        sockets.delete(s);
        s.destroy();
      }
    };
    for (const s of [client, server]) s.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url(url) {
      const parsed = new URL(url);
      parsed.hostname = '127.0.0.1';
      parsed.port = String(port);
      return parsed.toString();
    },
    freeze() {
      frozen = true;
    },
    freezeOn(text) {
      trigger = text;
    },
    thaw() {
      frozen = false;
      trigger = undefined;
      for (const leg of legs) for (const chunk of leg.held.splice(0)) leg.to.write(chunk);
    },
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
}
