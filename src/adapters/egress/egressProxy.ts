import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { hostAllowed } from '../../core/policy/egressPolicy';

/**
 * The egress proxy commands go through when the network is on. It lets a request out only to a host
 * on the allowlist and refuses everything else (403, recorded, so the command's result can say what
 * was refused). HTTPS goes through as a CONNECT tunnel (the proxy sees the host, not the content).
 * Credentials never enter the sandbox: for a host with a configured credential, a plain-HTTP request
 * through the proxy (`http://registry.npmjs.org/...`, as the sandbox's registry settings point) is sent
 * on over HTTPS with the credential header added here, on the host side.
 */
export interface EgressCredential {
  host: string;
  /** Header name, e.g. `authorization`. */
  header: string;
  /** Header value, e.g. `Bearer <token>`; read from the host's environment by the caller. */
  value: string;
  /** How the request goes on from the proxy: HTTPS (the default, port 443 unless the URL names one). */
  upstream?: 'https' | 'http';
}

export interface EgressProxyOptions {
  allow: readonly string[];
  credentials?: readonly EgressCredential[];
  /** Address to listen on: 127.0.0.1 for local mode, the sandbox network's gateway for a container. */
  host: string;
}

export interface EgressProxy {
  url: string;
  /** Requests refused since the mark (one line each), for a command's result. */
  refusedSince(mark: number): string[];
  /** A position in the refusal log, taken before a command. */
  mark(): number;
  close(): Promise<void>;
}

const MAX_LOG = 1000;

export async function startEgressProxy(options: EgressProxyOptions): Promise<EgressProxy> {
  const refused: string[] = [];
  let dropped = 0;
  const refuse = (what: string) => {
    refused.push(what);
    if (refused.length > MAX_LOG) {
      refused.shift();
      dropped++;
    }
  };
  const credentialFor = (host: string) => options.credentials?.find((c) => c.host.toLowerCase() === host.toLowerCase());

  const server: Server = createServer((req, res) => forward(req, res, options, refuse, credentialFor));
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const [host = '', portText = '443'] = (req.url ?? '').split(/:(?=\d+$)/);
    const port = Number(portText);
    if (!hostAllowed(host, options.allow) || !Number.isInteger(port) || port <= 0 || port > 65535) {
      refuse(`CONNECT ${req.url ?? ''} (${host} is not on the egress allowlist)`);
      client.end('HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\nrefused by the Agent Harness egress allowlist\n');
      return;
    }
    const upstream = connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const close = () => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', () => {
      if (!client.destroyed) client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    });
    client.on('error', close);
  });
  server.on('clientError', (_e, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host}:${port}`,
    mark: () => refused.length + dropped,
    refusedSince: (mark) => refused.slice(Math.max(0, mark - dropped)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function forward(
  req: IncomingMessage,
  res: ServerResponse,
  options: EgressProxyOptions,
  refuse: (what: string) => void,
  credentialFor: (host: string) => EgressCredential | undefined,
): void {
  let target: URL;
  try {
    target = new URL(req.url ?? '');
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('the egress proxy takes absolute URLs (set HTTP_PROXY)\n');
    return;
  }
  if (target.protocol !== 'http:' || !hostAllowed(target.hostname, options.allow)) {
    refuse(`${req.method ?? 'GET'} ${target.protocol}//${target.host}${target.pathname} (${target.hostname} is not on the egress allowlist)`);
    res.writeHead(403, { 'content-type': 'text/plain' }).end('refused by the Agent Harness egress allowlist\n');
    return;
  }
  const credential = credentialFor(target.hostname);
  const headers: Record<string, string | string[] | undefined> = { ...req.headers, host: target.host };
  delete headers['proxy-authorization'];
  delete headers['proxy-connection'];
  // A credential is added here, on the host; the request then goes out over HTTPS.
  if (credential) headers[credential.header.toLowerCase()] = credential.value;
  const secure = credential !== undefined && credential.upstream !== 'http';
  const send = secure ? httpsRequest : httpRequest;
  const upstream = send(
    { protocol: secure ? 'https:' : 'http:', hostname: target.hostname, port: target.port || (secure ? 443 : 80), path: `${target.pathname}${target.search}`, method: req.method, headers },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end('the egress proxy could not reach the upstream\n');
  });
  req.pipe(upstream);
}
