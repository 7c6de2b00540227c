/**
 * TFTP wire format (RFC 1350) with option negotiation (RFC 2347: blksize RFC 2348, timeout and
 * tsize RFC 2349). Only what a read-only boot server needs to parse and build.
 */

export const OP = { RRQ: 1, WRQ: 2, DATA: 3, ACK: 4, ERROR: 5, OACK: 6 } as const;

export const ERR = {
  NOT_DEFINED: 0,
  NOT_FOUND: 1,
  ACCESS: 2,
  ILLEGAL_OP: 4,
  UNKNOWN_TID: 5,
  OPTION: 8,
} as const;

export interface Request {
  op: typeof OP.RRQ | typeof OP.WRQ;
  filename: string;
  mode: string;
  /** Option names lower-cased, as RFC 2347 says they are case-insensitive. */
  options: Map<string, string>;
}

/** A request packet, or a reason it is not one (answered with ILLEGAL_OP). */
export function parseRequest(msg: Buffer): Request | string {
  if (msg.length < 4) return 'packet too short';
  const op = msg.readUInt16BE(0);
  if (op !== OP.RRQ && op !== OP.WRQ) return `opcode ${op} is not a request`;
  const fields: string[] = [];
  let start = 2;
  for (let i = 2; i < msg.length; i++) {
    if (msg[i] !== 0) continue;
    fields.push(msg.subarray(start, i).toString('latin1'));
    start = i + 1;
  }
  if (start !== msg.length) return 'request is not NUL-terminated';
  const [filename, mode, ...rest] = fields;
  if (!filename || !mode) return 'request lacks filename or mode';
  const options = new Map<string, string>();
  for (let i = 0; i + 1 < rest.length; i += 2) options.set(rest[i]!.toLowerCase(), rest[i + 1]!);
  return { op, filename, mode: mode.toLowerCase(), options };
}

export function dataPacket(block: number, payload: Buffer): Buffer {
  const b = Buffer.allocUnsafe(4 + payload.length);
  b.writeUInt16BE(OP.DATA, 0);
  b.writeUInt16BE(block & 0xffff, 2);
  payload.copy(b, 4);
  return b;
}

export function errorPacket(code: number, message: string): Buffer {
  const text = Buffer.from(message, 'latin1');
  const b = Buffer.alloc(5 + text.length);
  b.writeUInt16BE(OP.ERROR, 0);
  b.writeUInt16BE(code, 2);
  text.copy(b, 4);
  return b;
}

export function oackPacket(options: Map<string, string>): Buffer {
  const parts = [Buffer.from([0, OP.OACK])];
  for (const [k, v] of options) parts.push(Buffer.from(`${k}\0${v}\0`, 'latin1'));
  return Buffer.concat(parts);
}

/** The block number an ACK acknowledges, or undefined for anything else. */
export function ackBlock(msg: Buffer): number | undefined {
  if (msg.length < 4 || msg.readUInt16BE(0) !== OP.ACK) return undefined;
  return msg.readUInt16BE(2);
}

/** An ERROR packet's text (the client gave up), or undefined. */
export function errorText(msg: Buffer): string | undefined {
  if (msg.length < 4 || msg.readUInt16BE(0) !== OP.ERROR) return undefined;
  const end = msg.indexOf(0, 4);
  return `${msg.readUInt16BE(2)} ${msg.subarray(4, end < 0 ? msg.length : end).toString('latin1')}`;
}

/** netascii (RFC 764): CR LF for a newline, CR NUL for a bare CR. */
export function toNetascii(data: Buffer): Buffer {
  const out: number[] = [];
  for (const c of data) {
    if (c === 0x0a) out.push(0x0d, 0x0a);
    else if (c === 0x0d) out.push(0x0d, 0x00);
    else out.push(c);
  }
  return Buffer.from(out);
}

export interface Negotiated {
  blksize: number;
  timeoutMs: number;
  /** What goes into the OACK; empty: no OACK, DATA 1 comes first (plain RFC 1350). */
  accepted: Map<string, string>;
}

/**
 * Options the server accepts, from what the client asked. Values out of range are left out of
 * the OACK (RFC 2347: the server may ignore an option), so the transfer falls back to defaults.
 */
export function negotiate(asked: Map<string, string>, size: number, defaultTimeoutMs: number): Negotiated {
  const accepted = new Map<string, string>();
  let blksize = 512;
  let timeoutMs = defaultTimeoutMs;
  const blk = Number(asked.get('blksize'));
  if (asked.has('blksize') && Number.isInteger(blk) && blk >= 8) {
    blksize = Math.min(blk, 65464);
    accepted.set('blksize', String(blksize));
  }
  const t = Number(asked.get('timeout'));
  if (asked.has('timeout') && Number.isInteger(t) && t >= 1 && t <= 255) {
    timeoutMs = t * 1000;
    accepted.set('timeout', String(t));
  }
  if (asked.has('tsize')) accepted.set('tsize', String(size));
  return { blksize, timeoutMs, accepted };
}
