import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Starts a stand-in HTTP server on a free loopback port and gives its base URL. */
export async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Stops a stand-in, cutting every connection it still holds, hanging requests included. */
export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
