import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * A loopback Redfish service shaped like DMTF's public-rackmount1 mockup (ServiceRoot, Systems
 * collection, one ComputerSystem with Boot override, ComputerSystem.Reset and SerialConsole),
 * over HTTPS with basic authentication. Its reset actions and boot override drive the emulated
 * server of scripts/baremetal-lab.sh through the lab's chassis control, the same way ipmi_sim does.
 */
export interface RedfishService {
  url: string;
  caFile: string;
  /** Requests received, `POST /redfish/v1/Systems/437XR1138R2/Actions/ComputerSystem.Reset On`. */
  requests: string[];
  close(): Promise<void>;
}

const SYSTEM = '/redfish/v1/Systems/437XR1138R2';

/** A throw-away CA and a server certificate for 127.0.0.1 signed by it. */
function makeCertificates(dir: string): { ca: string; key: string; cert: string } {
  const f = (n: string) => join(dir, n);
  const ssl = (...a: string[]) => execFileSync('openssl', a, { stdio: 'pipe' });
  ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=lisa test BMC CA',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.pem'),
  );
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', f('bmc.key'), '-out', f('bmc.csr'));
  writeFileSync(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  ssl(
    'x509',
    '-req',
    '-in',
    f('bmc.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    f('ext.cnf'),
    '-out',
    f('bmc.pem'),
  );
  return { ca: f('ca.pem'), key: f('bmc.key'), cert: f('bmc.pem') };
}

function error(code: number, message: string, id = 'Base.1.8.GeneralError') {
  return {
    code,
    body: { error: { code: id, message, '@Message.ExtendedInfo': [{ MessageId: id, Message: message }] } },
  };
}

export async function startRedfishService(options: {
  labDir: string;
  ipmiPort: number;
  user: string;
  password: string;
  certDir: string;
}): Promise<RedfishService> {
  const certs = makeCertificates(options.certDir);
  const chassis = (...args: string[]) =>
    execFileSync(join(options.labDir, 'chassis-control.sh'), [options.labDir, '0x20', ...args], { encoding: 'utf8' });
  const powered = () => /power:1/.test(chassis('get', 'power'));
  const nextBoot = () => readFileSync(join(options.labDir, 'next-boot'), 'utf8').trim();
  const requests: string[] = [];

  const system = () => ({
    '@odata.type': '#ComputerSystem.v1_13_0.ComputerSystem',
    '@odata.id': SYSTEM,
    Id: '437XR1138R2',
    Name: 'WebFrontEnd483',
    SystemType: 'Physical',
    Manufacturer: 'Contoso',
    Model: '3500RX',
    PowerState: powered() ? 'On' : 'Off',
    Boot: {
      BootSourceOverrideEnabled: nextBoot() === 'pxe' ? 'Once' : 'Disabled',
      BootSourceOverrideTarget: nextBoot() === 'pxe' ? 'Pxe' : 'None',
      'BootSourceOverrideTarget@Redfish.AllowableValues': ['None', 'Pxe', 'Hdd', 'Cd', 'BiosSetup'],
    },
    ProcessorSummary: { Count: 1, LogicalProcessorCount: 2 },
    MemorySummary: { TotalSystemMemoryGiB: 1 },
    SerialConsole: { MaxConcurrentSessions: 1, IPMI: { ServiceEnabled: true, Port: options.ipmiPort } },
    Actions: {
      '#ComputerSystem.Reset': {
        target: `${SYSTEM}/Actions/ComputerSystem.Reset`,
        'ResetType@Redfish.AllowableValues': ['On', 'ForceOff', 'ForceRestart', 'PowerCycle', 'GracefulShutdown'],
      },
    },
  });

  const handle = (method: string, path: string, body: Record<string, unknown>): { code: number; body?: unknown } => {
    if (method === 'GET' && (path === '/redfish/v1' || path === '/redfish/v1/'))
      return {
        code: 200,
        body: {
          '@odata.type': '#ServiceRoot.v1_5_0.ServiceRoot',
          '@odata.id': '/redfish/v1/',
          Id: 'RootService',
          Name: 'Root Service',
          RedfishVersion: '1.6.0',
          Systems: { '@odata.id': '/redfish/v1/Systems' },
        },
      };
    if (method === 'GET' && path === '/redfish/v1/Systems')
      return {
        code: 200,
        body: {
          '@odata.type': '#ComputerSystemCollection.ComputerSystemCollection',
          '@odata.id': '/redfish/v1/Systems',
          Name: 'Computer System Collection',
          'Members@odata.count': 1,
          Members: [{ '@odata.id': SYSTEM }],
        },
      };
    if (method === 'GET' && path === SYSTEM) return { code: 200, body: system() };
    if (method === 'PATCH' && path === SYSTEM) {
      const boot = body.Boot as { BootSourceOverrideTarget?: string } | undefined;
      const t = boot?.BootSourceOverrideTarget;
      if (!t || !['None', 'Pxe', 'Hdd'].includes(t))
        return error(400, `unsupported boot target ${t}`, 'Base.1.8.PropertyValueNotInList');
      chassis('set', 'boot', t === 'Pxe' ? 'pxe' : 'default');
      return { code: 204 };
    }
    if (method === 'POST' && path === `${SYSTEM}/Actions/ComputerSystem.Reset`) {
      const t = body.ResetType as string;
      if (t === 'On') chassis('set', 'power', '1');
      else if (t === 'ForceOff' || t === 'GracefulShutdown') chassis('set', 'power', '0');
      else if (t === 'ForceRestart' || t === 'PowerCycle') chassis('set', 'reset', '1');
      else return error(400, `unsupported ResetType ${t}`, 'Base.1.8.ActionParameterNotSupported');
      return { code: 204 };
    }
    return error(404, `no resource ${path}`, 'Base.1.8.ResourceMissingAtURI');
  };

  const expected = `Basic ${Buffer.from(`${options.user}:${options.password}`).toString('base64')}`;
  const server: Server = createServer({ key: readFileSync(certs.key), cert: readFileSync(certs.cert) }, (req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]!;
      let r: { code: number; body?: unknown };
      if (req.headers.authorization !== expected)
        r = error(401, 'authentication required', 'Base.1.8.InsufficientPrivilege');
      else {
        let body: Record<string, unknown> = {};
        try {
          body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        } catch {
          r = error(400, 'malformed JSON', 'Base.1.8.MalformedJSON');
        }
        r = handle(req.method ?? 'GET', path, body);
        requests.push(`${req.method} ${path}${typeof body.ResetType === 'string' ? ` ${body.ResetType}` : ''}`);
      }
      res.writeHead(r.code, { 'content-type': 'application/json', 'OData-Version': '4.0' });
      res.end(r.body === undefined ? undefined : JSON.stringify(r.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    caFile: certs.ca,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
