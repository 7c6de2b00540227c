import type { ServerResponse } from 'node:http';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A non-JSON body (blobs), sent as is. */
  raw?: string | Buffer;
  /** For HEAD answers: the length the GET would have. */
  contentLength?: number;
}

export const ok = (body: unknown, status = 200, headers?: Record<string, string>): Reply => ({ status, body, headers });

/** ARM's error envelope, as in the REST API specification's examples. */
export function armFail(status: number, code: string, message: string, headers?: Record<string, string>): Reply {
  return { status, body: { error: { code, message } }, headers };
}

export function send(res: ServerResponse, r: Reply): void {
  const headers: Record<string, string> = { 'x-ms-request-id': crypto.randomUUID(), ...(r.headers ?? {}) };
  if (r.raw !== undefined || r.contentLength !== undefined) {
    const len = r.contentLength ?? Buffer.byteLength(r.raw ?? '');
    res.writeHead(r.status, { ...headers, 'content-length': String(len) }).end(r.raw);
    return;
  }
  if (r.body === undefined) {
    res.writeHead(r.status, headers).end();
    return;
  }
  res
    .writeHead(r.status, { 'content-type': 'application/json; charset=utf-8', ...headers })
    .end(JSON.stringify(r.body));
}
