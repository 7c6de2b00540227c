import { Tool, type PackageNames } from '../src/tool/tool.js';

export interface SecureBootState {
  /** Booted through UEFI (/sys/firmware/efi exists). */
  efi: boolean;
  /** null when it cannot be told (BIOS boot, no efivars). */
  secureBoot: boolean | null;
  source: 'mokutil' | 'efivars' | 'none';
}

/** Parses `mokutil --sb-state`. */
export function parseMokutilSbState(text: string): boolean | null {
  if (/SecureBoot enabled/i.test(text)) return true;
  if (/SecureBoot disabled/i.test(text)) return false;
  return null;
}

/**
 * The SecureBoot EFI variable as `od -An -t u1` prints it: 4 attribute bytes, then the value byte.
 */
export function parseEfiVarBytes(text: string): boolean | null {
  const bytes = text.trim().split(/\s+/).filter(Boolean).map(Number);
  if (bytes.length < 5 || bytes.some((b) => Number.isNaN(b))) return null;
  return bytes[4] === 1;
}

const SECURE_BOOT_VAR = '/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c';

/** Secure Boot state: mokutil when installed, the EFI variable otherwise (no install needed). */
export class SecureBoot extends Tool {
  readonly command = 'mokutil';
  override readonly packages: PackageNames = { default: 'mokutil' };

  async state(): Promise<SecureBootState> {
    const efi = (await this.node.execute('test -d /sys/firmware/efi', { noErrorLog: true })).exitCode === 0;
    if (!efi) return { efi, secureBoot: null, source: 'none' };
    if (await this.exists()) {
      const r = await this.node.execute('mokutil --sb-state', { noErrorLog: true });
      const sb = parseMokutilSbState(`${r.stdout}\n${r.stderr}`);
      if (sb !== null) return { efi, secureBoot: sb, source: 'mokutil' };
    }
    const v = await this.node.execute(`od -An -t u1 ${SECURE_BOOT_VAR}`, { noErrorLog: true });
    const sb = v.exitCode === 0 ? parseEfiVarBytes(v.stdout) : null;
    return { efi, secureBoot: sb, source: sb === null ? 'none' : 'efivars' };
  }
}
