import type ssh2 from 'ssh2';

type Sftp = ssh2.SFTPWrapper;

/** Promise wrappers around the SFTP calls SshNode uses; errors name the operation and path. */
export function openSftp(client: ssh2.Client): Promise<Sftp> {
  return new Promise((resolve, reject) => {
    try {
      client.sftp((err, sftp) => (err ? reject(err) : resolve(sftp)));
    } catch (e) {
      reject(e);
    }
  });
}

export function sftpReadFile(sftp: Sftp, path: string): Promise<Buffer> {
  return call<Buffer>(`read ${path}`, (cb) => sftp.readFile(path, cb));
}

export async function sftpWriteFile(sftp: Sftp, path: string, data: Buffer, mode?: number): Promise<void> {
  await call(`write ${path}`, (cb) => sftp.writeFile(path, data, mode === undefined ? {} : { mode }, cb));
  // The create mode is filtered by the remote umask and ignored for an existing file.
  if (mode !== undefined) await call(`chmod ${path}`, (cb) => sftp.chmod(path, mode, cb));
}

export async function sftpUpload(sftp: Sftp, localPath: string, remotePath: string): Promise<void> {
  await call(`upload ${localPath} to ${remotePath}`, (cb) => sftp.fastPut(localPath, remotePath, cb));
}

export async function sftpDownload(sftp: Sftp, remotePath: string, localPath: string): Promise<void> {
  await call(`download ${remotePath} to ${localPath}`, (cb) => sftp.fastGet(remotePath, localPath, cb));
}

/** True for "this server has no sftp subsystem" (dropbear without sftp-server, ForceCommand). */
export function isSubsystemUnavailable(err: Error): boolean {
  return /subsystem|Unable to start|Channel open failure|EOF/i.test(err.message) && !/No such file/i.test(err.message);
}

function call<T = void>(
  what: string,
  start: (cb: (err: Error | null | undefined, value?: T) => void) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    start((err, value) => {
      if (err) {
        const e = new Error(`sftp ${what}: ${err.message}`);
        (e as Error & { code?: unknown }).code = (err as Error & { code?: unknown }).code;
        reject(e);
      } else resolve(value as T);
    });
  });
}
