import { constants, randomBytes, verify, X509Certificate } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface Tenant {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Accept `client_assertion` flows: signed by a registered certificate, or a registered federated token. */
  acceptAssertions: boolean;
}

/** What a `client_assertion` may be: a JWT signed by one of `certificates`, or one of `federated` as is. */
export interface AssertionTrust {
  /** PEM certificates registered on the app (ClientCertificateCredential signs with their keys). */
  certificates: string[];
  /** Federated tokens (workload identity files, assertions) the app trusts. */
  federated: Set<string>;
}

function verifyAssertion(jwt: string, trust: AssertionTrust): boolean {
  if (trust.federated.has(jwt)) return true;
  const [head, payload, sig] = jwt.split('.');
  if (!head || !payload || !sig) return false;
  let alg = '';
  try {
    alg = String((JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg?: string }).alg);
  } catch {
    return false;
  }
  return trust.certificates.some((pem) => {
    try {
      const key = new X509Certificate(pem).publicKey;
      // MSAL signs with PS256 (RSA-PSS) now, older versions with RS256.
      const opts = alg === 'PS256' ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : key;
      return verify('sha256', Buffer.from(`${head}.${payload}`), opts, Buffer.from(sig, 'base64url'));
    } catch {
      return false;
    }
  });
}

/**
 * The two Entra ID endpoints the SDK's credentials use: OpenID discovery, then the v2.0 token
 * endpoint (client_credentials with a secret or a signed assertion). Issued tokens are kept so
 * ARM calls without one are refused with 401 as Azure does.
 */
export class TokenService {
  readonly issued = new Set<string>();
  readonly trust: AssertionTrust = { certificates: [], federated: new Set() };
  requests = 0;
  constructor(readonly tenant: Tenant) {}

  handle(req: IncomingMessage, res: ServerResponse, url: URL, body: string, base: string): boolean {
    const t = this.tenant.tenantId;
    const m = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/token)$/.exec(url.pathname);
    if (!m) return false;
    this.requests++;
    const send = (status: number, obj: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(obj));
    };
    if (m[1] !== t && m[1] !== 'organizations' && m[1] !== 'common')
      return (
        send(400, { error: 'invalid_tenant', error_description: `AADSTS90002: Tenant '${m[1]}' not found.` }),
        true
      );
    if (m[2]!.startsWith('v2.0')) {
      send(200, {
        token_endpoint: `${base}/${t}/oauth2/v2.0/token`,
        authorization_endpoint: `${base}/${t}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${base}/${t}/oauth2/v2.0/logout`,
        device_authorization_endpoint: `${base}/${t}/oauth2/v2.0/devicecode`,
        jwks_uri: `${base}/${t}/discovery/v2.0/keys`,
        issuer: `${base}/${t}/v2.0`,
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      });
      return true;
    }
    if (req.method !== 'POST') return (send(405, { error: 'invalid_request' }), true);
    const form = new URLSearchParams(body);
    const ok =
      form.get('client_id') === this.tenant.clientId &&
      (form.get('client_secret') === this.tenant.clientSecret ||
        (this.tenant.acceptAssertions && verifyAssertion(form.get('client_assertion') ?? '', this.trust)));
    if (!ok) {
      send(401, {
        error: 'invalid_client',
        error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.\r\nTrace ID: ${randomBytes(8).toString('hex')}\r\nTimestamp: ${new Date().toISOString()}`,
        error_codes: [7000215],
      });
      return true;
    }
    const token = randomBytes(24).toString('base64url');
    this.issued.add(token);
    send(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
    return true;
  }

  /** Issues a token directly, for `credential: {type: token}` and scripts. */
  issue(): string {
    const token = randomBytes(24).toString('base64url');
    this.issued.add(token);
    return token;
  }
}
