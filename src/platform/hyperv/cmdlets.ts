import { psQuote as q, psSize } from './powershell.js';

/**
 * The PowerShell the Hyper-V platform sends, one function per step, one cmdlet per line. Paths are
 * Windows paths on the host. Kept apart from the transport so a transcript test pins every step.
 */
export interface VmSpec {
  name: string;
  dir: string;
  vhd: string;
  generation: 1 | 2;
  memoryMiB: number;
  cores: number;
  switchName: string;
  pipe: string;
}

export const steps = {
  makeDir: (dir: string) => `New-Item -ItemType Directory -Force -Path ${q(dir)} | Out-Null`,
  newVm: (s: VmSpec) =>
    [
      `New-VM -Name ${q(s.name)} -Generation ${s.generation} -MemoryStartupBytes ${psSize(s.memoryMiB)} -VHDPath ${q(s.vhd)} -SwitchName ${q(s.switchName)} -Path ${q(s.dir)} | Out-Null`,
      // Linux images are not signed for the Windows Secure Boot template.
      ...(s.generation === 2 ? [`Set-VMFirmware -VMName ${q(s.name)} -EnableSecureBoot Off`] : []),
      `Set-VMProcessor -VMName ${q(s.name)} -Count ${s.cores}`,
      `Set-VMMemory -VMName ${q(s.name)} -DynamicMemoryEnabled $false`,
      `Set-VMComPort -VMName ${q(s.name)} -Number 1 -Path ${q(`\\\\.\\pipe\\${s.pipe}`)}`,
    ].join('\n'),
  startVm: (name: string) => `Start-VM -Name ${q(name)}`,
  stopVm: (name: string, graceful: boolean) => `Stop-VM -Name ${q(name)} ${graceful ? '-Force' : '-TurnOff -Force'}`,
  restartVm: (name: string) => `Restart-VM -Name ${q(name)} -Force`,
  vmState: (name: string) => `(Get-VM -Name ${q(name)}).State.ToString()`,
  /** The VM's first IPv4 address from the integration services, or nothing yet. */
  address: (name: string) =>
    `Get-VMNetworkAdapter -VMName ${q(name)} | ForEach-Object { $_.IPAddresses } | Where-Object { $_ -match '^\\d+\\.\\d+\\.\\d+\\.\\d+$' } | Select-Object -First 1`,
  /** Streams COM1's named pipe to stdout until the VM goes away. */
  readComPort: (pipe: string) =>
    [
      `$pipe = New-Object System.IO.Pipes.NamedPipeClientStream('.', ${q(pipe)}, [System.IO.Pipes.PipeDirection]::In)`,
      '$pipe.Connect(60000)',
      '$pipe.CopyTo([Console]::OpenStandardOutput())',
    ].join('\n'),
  addDisk: (name: string, path: string, sizeGiB: number) =>
    [
      `New-VHD -Path ${q(path)} -SizeBytes ${sizeGiB}GB -Dynamic | Out-Null`,
      `Add-VMHardDiskDrive -VMName ${q(name)} -ControllerType SCSI -Path ${q(path)}`,
    ].join('\n'),
  removeDisk: (name: string, path: string) =>
    [
      `Get-VMHardDiskDrive -VMName ${q(name)} | Where-Object { $_.Path -eq ${q(path)} } | Remove-VMHardDiskDrive`,
      `Remove-Item -Force -Path ${q(path)}`,
    ].join('\n'),
  /** Tolerant: cleanup must get as far as it can even when the VM is half made. */
  removeVm: (name: string, dir: string) =>
    [
      `if (Get-VM -Name ${q(name)} -ErrorAction SilentlyContinue) {`,
      `  Stop-VM -Name ${q(name)} -TurnOff -Force`,
      `  Remove-VM -Name ${q(name)} -Force`,
      '}',
      `Remove-Item -Recurse -Force -ErrorAction SilentlyContinue -Path ${q(dir)}`,
    ].join('\n'),
};
