import { createSocket, type Socket } from 'node:dgram';

/** Seconds between the NTP epoch (1900) and the Unix epoch (1970). */
const NTP_UNIX_OFFSET = 2_208_988_800;

function writeTimestamp(buf: Buffer, offset: number, ms: number): void {
  const seconds = Math.floor(ms / 1000) + NTP_UNIX_OFFSET;
  const fraction = Math.floor(((ms % 1000) / 1000) * 2 ** 32);
  buf.writeUInt32BE(seconds >>> 0, offset);
  buf.writeUInt32BE(fraction >>> 0, offset + 4);
}

/** An NTP server reply (mode 4) to a client request, stamped with this host's clock. */
export function ntpReply(request: Buffer, receivedMs: number, nowMs: number): Buffer | undefined {
  if (request.length < 48) return undefined;
  const mode = request[0]! & 0x7;
  if (mode !== 3) return undefined;
  const version = (request[0]! >> 3) & 0x7;
  const reply = Buffer.alloc(48);
  reply[0] = (0 << 6) | (version << 3) | 4;
  reply[1] = 2; // stratum: a secondary server, synchronised to the host clock
  reply[2] = request[2]!; // poll
  reply[3] = 0xec; // precision 2^-20 s
  reply.writeUInt32BE(0, 4); // root delay
  reply.writeUInt32BE(0x0000_0100, 8); // root dispersion ~4 ms
  reply.write('LISA', 12, 'ascii'); // reference id
  writeTimestamp(reply, 16, nowMs); // reference
  request.copy(reply, 24, 40, 48); // originate = client's transmit
  writeTimestamp(reply, 32, receivedMs);
  writeTimestamp(reply, 40, nowMs);
  return reply;
}

export interface NtpServer {
  port: number;
  close(): void;
}

/**
 * A tiny NTP server on host loopback. Guests reach it as 10.0.2.2:<port> through user-mode
 * networking, so their chrony synchronises to the host clock without internet access (slirp has
 * no time source, and a restored snapshot wakes up with a stale clock).
 */
export function startNtpServer(): Promise<NtpServer> {
  return new Promise((resolve, reject) => {
    const sock: Socket = createSocket('udp4');
    sock.on('message', (msg, rinfo) => {
      const reply = ntpReply(msg, Date.now(), Date.now());
      if (reply) sock.send(reply, rinfo.port, rinfo.address);
    });
    sock.once('error', reject);
    sock.bind(0, '127.0.0.1', () => {
      sock.unref();
      resolve({ port: sock.address().port, close: () => sock.close() });
    });
  });
}
