import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { serveSftp } from './sftp.js';
import { TestVm, type GuestBoot } from './vms.js';
import { ed25519KeyPair } from '../ssh-keys.js';

/**
 * A loopback stand-in for a Windows Server Hyper-V host reached over SSH: it accepts
 * `powershell ... -EncodedCommand <base64>` and carries out exactly the cmdlets the hyperv platform
 * sends on QEMU guests of the project's image; anything else is refused the way PowerShell refuses
 * an unknown command. C:\ is a directory on this machine.
 */
export interface HypervTestHost {
  port: number;
  username: string;
  password: string;
  /** Decoded scripts, in the order received. */
  scripts: string[];
  vms: Map<string, TestVm>;
  /** Files under C:\ right now (for "nothing left behind"). */
  files(): string[];
  close(): Promise<void>;
}

export interface HostOptions extends GuestBoot {
  root: string;
  /** Cmdlets this host refuses (e.g. a host without rights to New-VM). */
  refuse?: string[];
  /** Milliseconds a cmdlet takes before it acts (New-VM on a real host takes seconds). */
  slow?: Record<string, number>;
}

type Out = { out: (s: string) => void; err: (s: string) => void };

/** Single-quoted literals and bare words of one PowerShell line. */
function tokens(line: string): string[] {
  const out: string[] = [];
  const re = /'((?:[^']|'')*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] !== undefined ? m[1].replace(/''/g, "'") : m[2]!);
  return out;
}

function params(line: string): Map<string, string> {
  const t = tokens(line);
  const p = new Map<string, string>();
  for (let i = 1; i < t.length; i++) {
    if (t[i]!.startsWith('-')) {
      const next = t[i + 1];
      if (next !== undefined && !next.startsWith('-') && next !== '|') p.set(t[i]!.slice(1), t[++i]!);
      else p.set(t[i]!.slice(1), '');
    }
  }
  return p;
}

function size(text: string): number {
  const m = /^(\d+)(MB|GB)$/.exec(text);
  if (!m) throw new Error(`Cannot convert value "${text}" to type "System.UInt64".`);
  return Number(m[1]) * (m[2] === 'GB' ? 1024 : 1);
}

export async function startHypervTestHost(options: HostOptions): Promise<HypervTestHost> {
  const username = 'Administrator';
  const password = `Hv-${Math.random().toString(36).slice(2, 12)}`;
  const scripts: string[] = [];
  const vms = new Map<string, TestVm>();
  const local = (win: string) => join(options.root, win.replace(/^([A-Za-z]):/, '$1').replace(/\\/g, '/'));
  let ipN = 10;
  const vmOf = (name: string | undefined, cmd: string) => {
    const vm = vms.get(name ?? '');
    if (!vm) throw new Error(`${cmd} : Hyper-V was unable to find a virtual machine with name "${name}".`);
    return vm;
  };

  async function line(raw: string, io: Out, ctx: { skip?: boolean; closed?: boolean }): Promise<void> {
    const l = raw.trim();
    if (!l || l.startsWith('$ErrorActionPreference') || l.startsWith('$ProgressPreference')) return;
    if (l === '}') return void (ctx.skip = false);
    if (ctx.skip) return;
    const cmd = l.replace(/^\(/, '').split(/[\s(]/)[0]!;
    if (options.refuse?.includes(cmd))
      throw new Error(`${cmd} : You do not have the required permission to complete this task.`);
    const p = params(l);
    const delay = options.slow?.[cmd];
    if (delay) await new Promise((r) => setTimeout(r, delay));
    const m = /^if \(Get-VM -Name '((?:[^']|'')*)' -ErrorAction SilentlyContinue\) \{$/.exec(l);
    if (m) return void (ctx.skip = !vms.has(m[1]!.replace(/''/g, "'")));
    if (l.startsWith('$pipe = New-Object System.IO.Pipes.NamedPipeClientStream')) {
      const pipe = /'\.', '((?:[^']|'')*)'/.exec(l)![1]!.replace(/''/g, "'");
      const vm = [...vms.values()].find((v) => v.pipe === `\\\\.\\pipe\\${pipe}`);
      if (!vm) throw new Error(`Exception calling "Connect": "The operation has timed out."`);
      (ctx as { pipe?: TestVm }).pipe = vm;
      return;
    }
    if (l === '$pipe.Connect(60000)') return;
    if (l === '$pipe.CopyTo([Console]::OpenStandardOutput())')
      return streamCom((ctx as { pipe?: TestVm }).pipe!, io, ctx);
    switch (cmd) {
      case 'New-Item':
        return void mkdirSync(local(p.get('Path')!), { recursive: true });
      case 'New-VM': {
        const name = p.get('Name')!;
        if (vms.has(name)) throw new Error(`New-VM : A virtual machine named '${name}' already exists.`);
        const vm = new TestVm(
          name,
          Number(p.get('Generation')),
          size(p.get('MemoryStartupBytes')!),
          local(p.get('VHDPath')!),
          local(p.get('Path')!),
          p.get('SwitchName')!,
          `127.0.0.${ipN++}`,
        );
        vms.set(name, vm);
        return;
      }
      case 'Set-VMFirmware':
        return void (vmOf(p.get('VMName'), cmd).secureBoot = p.get('EnableSecureBoot') !== 'Off');
      case 'Set-VMProcessor':
        return void (vmOf(p.get('VMName'), cmd).cores = Number(p.get('Count')));
      case 'Set-VMMemory':
        return void vmOf(p.get('VMName'), cmd);
      case 'Set-VMComPort':
        return void (vmOf(p.get('VMName'), cmd).pipe = p.get('Path')!);
      case 'Start-VM':
        return vmOf(p.get('Name'), cmd).start(options);
      case 'Stop-VM':
        return vmOf(p.get('Name'), cmd).stop(p.has('TurnOff'));
      case 'Restart-VM':
        return vmOf(p.get('Name'), cmd).restart();
      case 'Remove-VM': {
        const vm = vmOf(p.get('Name'), cmd);
        await vm.stop(true);
        return void vms.delete(vm.name);
      }
      case 'Get-VM':
        return io.out(`${vmOf(p.get('Name'), cmd).running ? 'Running' : 'Off'}\n`);
      case 'Get-VMNetworkAdapter': {
        const vm = vmOf(p.get('VMName'), cmd);
        return io.out(vm.running ? `${vm.ip}\n` : '');
      }
      case 'New-VHD':
        return void execFileSync('qemu-img', [
          'create',
          '-q',
          '-f',
          'vhdx',
          local(p.get('Path')!),
          `${size(p.get('SizeBytes')!)}M`,
        ]);
      case 'Add-VMHardDiskDrive':
        return vmOf(p.get('VMName'), cmd).addDisk(local(p.get('Path')!));
      case 'Get-VMHardDiskDrive': {
        const path = /-eq '((?:[^']|'')*)'/.exec(l)![1]!.replace(/''/g, "'");
        return vmOf(p.get('VMName'), cmd).removeDisk(local(path));
      }
      case 'Remove-Item':
        return void rmSync(local(p.get('Path')!), { recursive: p.has('Recurse'), force: true });
      default:
        throw new Error(
          `${cmd} : The term '${cmd}' is not recognized as the name of a cmdlet, function, script file, or operable program.`,
        );
    }
  }

  /** COM1's pipe: the serial log from the start, following it while the VM runs. */
  async function streamCom(vm: TestVm, io: Out, ctx: { closed?: boolean }): Promise<void> {
    let offset = 0;
    while (!ctx.closed) {
      let size = 0;
      try {
        size = statSync(vm.serialLog).size;
      } catch {
        /* not yet */
      }
      if (size > offset) {
        const fd = openSync(vm.serialLog, 'r');
        const buf = Buffer.alloc(size - offset);
        readSync(fd, buf, 0, buf.length, offset);
        closeSync(fd);
        offset = size;
        io.out(buf.toString('latin1'));
      } else if (!vm.running && vms.get(vm.name) !== vm) return;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  const hostKey = ed25519KeyPair().private;
  const server = new ssh2.Server({ hostKeys: [hostKey] }, (client) => {
    client.on('authentication', (ctx) => {
      if (ctx.method === 'password' && ctx.username === username && ctx.password === password) ctx.accept();
      else ctx.reject(['password']);
    });
    client.on('error', () => {});
    client.on('ready', () =>
      client.on('session', (accept) => {
        const session = accept();
        session.on('sftp', (acc) => serveSftp(acc(), local));
        session.on('exec', (acc, _rej, info) => {
          const stream = acc();
          const m = /^powershell -NoLogo -NoProfile -NonInteractive -EncodedCommand ([A-Za-z0-9+/=]+)$/.exec(
            info.command,
          );
          if (!m) {
            stream.stderr.write(
              `'${info.command.split(' ')[0]}' is not recognized as an internal or external command\r\n`,
            );
            return (stream.exit(1), stream.end());
          }
          const script = Buffer.from(m[1]!, 'base64').toString('utf16le');
          scripts.push(script);
          const io: Out = { out: (s) => stream.write(s), err: (s) => stream.stderr.write(s) };
          let closed = false;
          const ctx: { closed?: boolean } = {};
          stream.on('close', () => (closed = ctx.closed = true));
          void (async () => {
            try {
              for (const l of script.split('\n')) {
                if (closed) return;
                await line(l, io, ctx);
              }
              if (!closed) stream.exit(0);
            } catch (e) {
              if (!closed) {
                io.err(`${(e as Error).message}\r\n`);
                stream.exit(1);
              }
            }
            if (!closed) stream.end();
          })();
        });
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as AddressInfo).port,
    username,
    password,
    scripts,
    vms,
    files: () => {
      try {
        return execFileSync('find', [join(options.root, 'C'), '-mindepth', '1'], { encoding: 'utf8' })
          .split('\n')
          .filter(Boolean);
      } catch {
        return [];
      }
    },
    close: async () => {
      for (const vm of vms.values()) await vm.stop(true);
      server.close();
    },
  };
}
