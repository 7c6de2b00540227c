import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { compute, releaseGroupVnet, stopGroupVms, type ComputeFaults, type GuestBackend } from './compute.js';
import { armFail, send, type Reply } from './http.js';
import { bootDiagnosticsBlob } from './vm-actions.js';
import { networkResources, releaseGroupAddresses } from './network.js';
import { asyncOperations, operationResults, resourceGroups, type Ctx, type GroupFaults } from './resources.js';
import { ArmStore, type GroupState } from './store.js';
import { makeTestTls } from './tls.js';
import { TokenService } from './tokens.js';
import { startWatchdog } from './watchdog.js';

/** A scripted failure: the next `times` requests matching `method` and `path` get this answer. */
export interface FaultRule {
  method?: string;
  /** Regular expression matched against the request path, case-insensitive. */
  path: string;
  status: number;
  code: string;
  message?: string;
  times?: number;
  /** Seconds for a Retry-After header; absent means none is sent. */
  retryAfter?: number;
}

export interface ArmEndpointOptions {
  dir: string;
  backend: GuestBackend;
  subscriptionId?: string;
  coresLimit?: number;
  /** A watchdog process that kills this endpoint's QEMU guests if the endpoint dies. Default true. */
  watchdog?: boolean;
}

export interface ArmEndpoint {
  armEndpoint: string;
  authorityHost: string;
  caFile: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  subscriptionId: string;
  stateUrl: string;
  store: ArmStore;
  tokens: TokenService;
  faults: FaultRule[];
  restricted: Set<string>;
  /** Quota held elsewhere, sizes out of capacity, provisioning failures: change them at any time. */
  computeFaults: ComputeFaults;
  /** The pid of the watchdog process guarding this endpoint's guests, when there is one. */
  watchdogPid: number | undefined;
  /** Deletes that never finish: set and clear at any time (also `POST stateUrl/group-faults`). */
  groupFaults: GroupFaults;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    let s = '';
    req.on('data', (d: Buffer) => (s += d.toString()));
    req.on('end', () => resolve(s));
    req.on('error', reject);
  });

const listen = (s: Server): Promise<number> =>
  new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));

/**
 * A loopback stand-in for Azure Resource Manager and Entra ID, over HTTPS with its own CA, whose
 * VMs are real guests. The state (groups, VMs with their QEMU PIDs, every request) is served as
 * JSON over plain HTTP at `stateUrl`; POST `stateUrl/faults` adds fault rules.
 */
export async function startArmEndpoint(o: ArmEndpointOptions): Promise<ArmEndpoint> {
  const tls = makeTestTls(join(o.dir, 'tls'));
  const watchdog = o.watchdog === false ? undefined : startWatchdog(o.dir);
  const store = new ArmStore();
  const sub = o.subscriptionId ?? '00000000-0000-4000-8000-0000000000a1';
  const tokens = new TokenService({
    tenantId: '00000000-0000-4000-8000-0000000000e1',
    clientId: '00000000-0000-4000-8000-0000000000c1',
    clientSecret: `test-secret-${crypto.randomUUID()}`,
    acceptAssertions: true,
  });
  const faults: FaultRule[] = [];
  const restricted = new Set<string>();
  const computeFaults: ComputeFaults = { reservedCores: 0, unavailable: new Set(), provisioning: [] };
  const groupFaults: GroupFaults = { stuckDelete: false };
  const deleteGroup = async (g: GroupState): Promise<void> => {
    await stopGroupVms(g);
    releaseGroupAddresses(g.resources);
    releaseGroupVnet(g);
  };
  let base = '';
  const handleArm = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', base);
    const raw = await readBody(req);
    if (tokens.handle(req, res, url, raw, base)) return;
    const method = req.method ?? 'GET';
    const blob = await bootDiagnosticsBlob(method, url);
    if (blob) {
      store.requests.push({ method, path: url.pathname, status: blob.status });
      send(res, blob);
      return;
    }
    let reply: Reply;
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!auth || !tokens.issued.has(auth)) {
      reply = armFail(
        401,
        'AuthenticationFailed',
        'Authentication failed. The Authorization header is missing or invalid.',
      );
    } else {
      const fault = faults.find(
        (f) => (!f.method || f.method === method) && new RegExp(f.path, 'i').test(url.pathname) && (f.times ?? 1) > 0,
      );
      if (fault) {
        fault.times = (fault.times ?? 1) - 1;
        reply = armFail(
          fault.status,
          fault.code,
          fault.message ?? `injected ${fault.code}`,
          fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : undefined,
        );
      } else {
        let body: unknown;
        try {
          body = raw ? JSON.parse(raw) : undefined;
        } catch {
          body = undefined;
        }
        const c: Ctx = { store, base, sub, method, path: url.pathname, url, body };
        reply =
          resourceGroups(c, deleteGroup, groupFaults) ??
          operationResults(c) ??
          asyncOperations(c) ??
          (await networkResources(c)) ??
          (await compute(c, {
            backend: o.backend,
            coresLimit: o.coresLimit ?? 40,
            restricted,
            faults: computeFaults,
          })) ??
          armFail(404, 'NoRegisteredProviderFound', `No route for ${method} ${url.pathname} in the test endpoint.`);
      }
    }
    store.requests.push({ method, path: url.pathname + url.search, status: reply.status });
    send(res, reply);
  };
  const https = createHttps({ key: tls.key, cert: tls.cert }, (req, res) => void handleArm(req, res));
  const port = await listen(https);
  base = `https://127.0.0.1:${port}`;
  const state = createHttp((req, res) => {
    if (req.method === 'POST' && req.url === '/faults') {
      void readBody(req).then((b) => {
        faults.push(...(JSON.parse(b) as FaultRule[]));
        res.writeHead(204).end();
      });
      return;
    }
    if (req.method === 'POST' && req.url === '/group-faults') {
      void readBody(req).then((b) => {
        Object.assign(groupFaults, JSON.parse(b) as Partial<GroupFaults>);
        res.writeHead(204).end();
      });
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(store.snapshot()));
  });
  const statePort = await listen(state);
  return {
    armEndpoint: base,
    authorityHost: base,
    caFile: tls.caFile,
    tenantId: tokens.tenant.tenantId,
    clientId: tokens.tenant.clientId,
    clientSecret: tokens.tenant.clientSecret,
    subscriptionId: sub,
    stateUrl: `http://127.0.0.1:${statePort}`,
    store,
    tokens,
    faults,
    restricted,
    computeFaults,
    groupFaults,
    watchdogPid: watchdog?.pid,
    async close() {
      await Promise.all([...store.groups.values()].map((g) => deleteGroup(g)));
      store.groups.clear();
      https.closeAllConnections();
      state.closeAllConnections();
      await Promise.all([new Promise((r) => https.close(r)), new Promise((r) => state.close(r))]);
      watchdog?.stop();
    },
  };
}
