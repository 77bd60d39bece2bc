/**
 * Builds a Tributary server from its parts without listening, so tests can start one on a free
 * port and `main.ts` stays the one place that wires configuration → storage → bus → HTTP.
 */
import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Authenticator,
  DEFAULT_AUTH_OPTIONS,
  SESSION_COOKIE,
  type AuthenticatorOptions,
  type CredentialSource,
} from './auth/Authenticator';
import type { Bus } from './bus/Bus';
import type { Config } from './config';
import { denied } from './domain/Refusal';
import { handleClientError, handleError } from './http/apiErrors';
import { registerApiHooks, registerSecurityHeaders } from './http/apiHooks';
import { BODY_LIMIT_BYTES, registerJsonBodies } from './http/bodyParser';
import { registerIdempotency } from './http/idempotency';
import { registerRequestDecorations, type AppContext } from './http/requestContext';
import { registerCrudRoutes } from './http/routes/crudObjects';
import { registerFeedRoutes } from './http/routes/feed';
import { registerMetaRoutes } from './http/routes/meta';
import { registerQueryRoutes } from './http/routes/query';
import { registerRootRoutes } from './http/routes/root';
import { registerStreamDataRoutes } from './http/routes/streamData';
import { registerStaticSite } from './http/staticSite';
import { WebsocketHub } from './http/websocket/WebsocketHub';
import type { Storage } from './storage/Storage';

export interface ServerParts {
  config: Config;
  storage: Storage;
  bus: Bus;
  /** Unix seconds; injectable for tests. */
  now?: () => number;
  auth?: Partial<AuthenticatorOptions>;
}

export interface TributaryServer {
  readonly app: FastifyInstance;
  readonly context: AppContext;
  readonly hub: WebsocketHub;
  /** Starts listening on the configured host and port; resolves to the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/**
 * Node's default of 16 KB for the request line and headers is too little for a `transform=` of
 * 8192 characters (the PipeScript limit), which URL encoding can triple.
 */
export const MAX_HEADER_BYTES = 64 * 1024;

export async function createServer(parts: ServerParts): Promise<TributaryServer> {
  const { config, storage, bus } = parts;
  const now = parts.now ?? (() => Date.now() / 1000);
  const authenticator = new Authenticator(storage, { ...DEFAULT_AUTH_OPTIONS, now, ...parts.auth });
  const context: AppContext = { storage, bus, now, config, authenticator, version: VERSION };

  const app = Fastify({
    logger: { level: config.logLevel },
    bodyLimit: BODY_LIMIT_BYTES,
    clientErrorHandler: handleClientError,
    trustProxy: config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    http: { maxHeaderSize: MAX_HEADER_BYTES },
    ...(config.tls && {
      https: {
        cert: readFileSync(config.tls.certFile),
        key: readFileSync(config.tls.keyFile),
        maxHeaderSize: MAX_HEADER_BYTES,
      },
    }),
  }) as unknown as FastifyInstance;

  await app.register(fastifyCookie);
  registerJsonBodies(app);
  registerRequestDecorations(app);
  registerSecurityHeaders(app);
  app.setErrorHandler(handleError);

  await app.register(async (api) => {
    registerApiHooks(api, context);
    registerIdempotency(api, context);
    registerRootRoutes(api, context);
    registerMetaRoutes(api, context);
    registerCrudRoutes(api, context);
    registerStreamDataRoutes(api, context);
    registerFeedRoutes(api, context);
    registerQueryRoutes(api, context);
  });
  await registerStaticSite(app, config.staticDir);

  const hub = new WebsocketHub(
    context,
    {
      async authenticate(request: IncomingMessage, source: CredentialSource, isRecheck: boolean) {
        const { actor, method } = await authenticator.authenticate(source, { isRecheck });
        // A hostile page can open a websocket with our cookie; only our own pages may.
        const origin = request.headers.origin;
        const host = request.headers.host;
        if (method === 'cookie' && origin !== undefined && new URL(origin).host !== host) {
          throw denied('Cross-site websocket with a session cookie refused');
        }
        return actor;
      },
    },
    config.wsPingIntervalMs,
  );
  hub.attach(app.server as Server, upgradeCredentials);

  return {
    app,
    context,
    hub,
    async listen() {
      await app.listen({ host: config.host, port: config.port });
      const { port } = app.server.address() as AddressInfo;
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      return `${config.tls ? 'https' : 'http'}://${host}:${port}`;
    },
    async close() {
      await hub.close();
      await app.close();
    },
  };
}

function upgradeCredentials(request: IncomingMessage): CredentialSource {
  const source: CredentialSource = { address: request.socket.remoteAddress ?? 'unknown' };
  if (request.headers.authorization) source.authorization = request.headers.authorization;
  const apikey = new URL(request.url ?? '/', 'http://x').searchParams.get('apikey');
  if (apikey) source.apikey = apikey;
  const token = request.headers.cookie
    ? fastifyCookie.parse(request.headers.cookie)[SESSION_COOKIE]
    : undefined;
  if (token) source.sessionToken = token;
  return source;
}
