// The reachability probe: any HTTP answer means the server is there (a redirect too), except the gateway and
// availability errors 502-504; a refused connection means it is not.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpProbe } from '../../../main/uploads/network';

let server: Server;
let base: string;
let status = 200;
beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(status, status === 302 ? { location: '/elsewhere' } : {});
    res.end('hello');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('httpProbe', () => {
  it.each([
    [200, true],
    [404, true],
    [302, true],
    [500, true],
    [502, false],
    [503, false],
    [504, false],
  ])('HTTP %i → reachable %s', async (answer, reachable) => {
    status = answer;
    expect(await httpProbe(base)).toBe(reachable);
  });

  it('a refused connection is unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await httpProbe(`http://127.0.0.1:${port}`)).toBe(false);
  });
});

describe('httpProbe, a server that answers badly', () => {
  it('oversized headers or bytes that are not HTTP are an answer (reachable); a silent server is not', async () => {
    const { createServer: createTcpServer } = await import('node:net');
    const modes = { mode: 'huge' as 'huge' | 'garbage' | 'silent' };
    const tcp = createTcpServer((socket) => {
      socket.on('error', () => {}); // the probe hangs up on what it will not read
      socket.once('data', () => {
        if (modes.mode === 'huge') socket.end(`HTTP/1.1 200 OK\r\nx-big: ${'a'.repeat(200 * 1024)}\r\n\r\n`);
        else if (modes.mode === 'garbage') socket.end('SSH-2.0-OpenSSH_9.2\r\n');
        // silent: never answers
      });
    });
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(tcp.address() as AddressInfo).port}`;
    try {
      expect(await httpProbe(url)).toBe(true);
      modes.mode = 'garbage';
      expect(await httpProbe(url)).toBe(true);
      modes.mode = 'silent';
      expect(await httpProbe(url)).toBe(false);
    } finally {
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    }
  }, 20_000);
});
