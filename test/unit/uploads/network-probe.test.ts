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
