// What the loopback test servers (the OpenAI simulator, the LangSmith sink) share: checking
// their address options, listening, and shutting down without waiting on open connections.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { InvalidArgumentError } from "../errors/invalid-argument-error.js";

/** Where a loopback test server listens: always 127.0.0.1, on `port` (0 picks a free one). */
export interface LoopbackAddress {
  host: "127.0.0.1";
  port: number;
}

/**
 * Checks the `host` and `port` options of a loopback test server and fills in the defaults
 * (`"127.0.0.1"`, port 0).
 *
 * @param owner - How the error names the server, e.g. `"the simulator"`.
 * @throws InvalidArgumentError when `host` is not `"127.0.0.1"` (a test double must never be
 * reachable from the network) or `port` is not an integer from 0 to 65535.
 */
export function checkLoopbackAddress(
  options: { host?: string; port?: number },
  owner: string,
): LoopbackAddress {
  const host = options.host ?? "127.0.0.1";
  if (host !== "127.0.0.1") {
    throw new InvalidArgumentError({
      parameter: "host",
      value: host,
      message: `${owner} binds loopback only; use "127.0.0.1" or leave \`host\` unset.`,
    });
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError({
      parameter: "port",
      value: port,
      message: "must be an integer between 0 and 65535 (0 picks a free port).",
    });
  }
  return { host, port };
}

/**
 * Starts `server` listening on `address`. Resolves with the port it bound and its base URL
 * (`http://127.0.0.1:<port>`); rejects with the listen error (a port in use, for example).
 */
export async function listenOnLoopback(
  server: Server,
  address: LoopbackAddress,
): Promise<{ port: number; url: string }> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(address.port, address.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return { port, url: `http://${address.host}:${port}` };
}

/**
 * Stops `server` accepting connections, then destroys every open one (idle keep-alive ones
 * included), so closing never waits on a client. `beforeDropping` runs in between, for a server
 * that must wake its pending handlers first. Resolves once the server has closed.
 */
export function closeServer(server: Server, beforeDropping?: () => void): Promise<void> {
  const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
  beforeDropping?.();
  server.closeAllConnections();
  return stopped;
}
