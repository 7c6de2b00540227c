import { closeSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import ssh2 from 'ssh2';

const { STATUS_CODE, OPEN_MODE } = ssh2.utils.sftp;

/**
 * Just enough of an SFTP server for uploads (what Windows OpenSSH's sftp-server does for
 * `put`): OPEN for write, WRITE, CLOSE, STAT/REALPATH. `/C:/x/y` maps to `<root>/C/x/y`.
 */
export function serveSftp(sftp: ssh2.SFTPWrapper, toLocal: (windowsPath: string) => string): void {
  const handles = new Map<number, number>();
  let next = 1;
  const local = (p: string) => toLocal(p.replace(/^\/([A-Za-z]):/, '$1:').replace(/\//g, '\\'));
  sftp.on('OPEN', (reqid, filename, flags) => {
    if (!(flags & OPEN_MODE.WRITE)) return sftp.status(reqid, STATUS_CODE.OP_UNSUPPORTED);
    try {
      const path = local(filename);
      mkdirSync(dirname(path), { recursive: true });
      const fd = openSync(path, 'w');
      const h = next++;
      handles.set(h, fd);
      const buf = Buffer.alloc(4);
      buf.writeUInt32BE(h);
      sftp.handle(reqid, buf);
    } catch {
      sftp.status(reqid, STATUS_CODE.FAILURE);
    }
  });
  sftp.on('WRITE', (reqid, handle, offset, data) => {
    const fd = handles.get(handle.readUInt32BE(0));
    if (fd === undefined) return sftp.status(reqid, STATUS_CODE.FAILURE);
    writeSync(fd, data, 0, data.length, offset);
    sftp.status(reqid, STATUS_CODE.OK);
  });
  sftp.on('CLOSE', (reqid, handle) => {
    const fd = handles.get(handle.readUInt32BE(0));
    if (fd !== undefined) closeSync(fd);
    handles.delete(handle.readUInt32BE(0));
    sftp.status(reqid, STATUS_CODE.OK);
  });
  sftp.on('FSTAT', (reqid, handle) => {
    const fd = handles.get(handle.readUInt32BE(0));
    if (fd === undefined) return sftp.status(reqid, STATUS_CODE.FAILURE);
    sftp.attrs(reqid, { mode: 0o100644, uid: 0, gid: 0, size: 0, atime: 0, mtime: 0 });
  });
  sftp.on('STAT', (reqid, path) => {
    try {
      const st = statSync(local(path));
      sftp.attrs(reqid, { mode: st.mode, uid: 0, gid: 0, size: st.size, atime: 0, mtime: 0 });
    } catch {
      sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE);
    }
  });
  sftp.on('REALPATH', (reqid, path) =>
    sftp.name(reqid, [{ filename: path, longname: path, attrs: {} as ssh2.Attributes }]),
  );
}
