import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { steps } from '../../../src/platform/hyperv/cmdlets.js';

/** The exact PowerShell of every step, pinned: a change here is a change in what real hosts run. */
describe('Hyper-V transcript', () => {
  const spec = {
    name: 'lisa-r1-1',
    dir: 'C:\\lisa\\lisa-r1-1',
    vhd: 'C:\\lisa\\lisa-r1-1\\lisa-r1-1.vhdx',
    generation: 2 as const,
    memoryMiB: 2048,
    cores: 4,
    switchName: 'Default Switch',
    pipe: 'lisa-r1-1-com1',
  };

  it('pins each step', () => {
    assert.equal(steps.makeDir(spec.dir), "New-Item -ItemType Directory -Force -Path 'C:\\lisa\\lisa-r1-1' | Out-Null");
    assert.equal(
      steps.newVm(spec),
      [
        "New-VM -Name 'lisa-r1-1' -Generation 2 -MemoryStartupBytes 2GB -VHDPath 'C:\\lisa\\lisa-r1-1\\lisa-r1-1.vhdx' -SwitchName 'Default Switch' -Path 'C:\\lisa\\lisa-r1-1' | Out-Null",
        "Set-VMFirmware -VMName 'lisa-r1-1' -EnableSecureBoot Off",
        "Set-VMProcessor -VMName 'lisa-r1-1' -Count 4",
        "Set-VMMemory -VMName 'lisa-r1-1' -DynamicMemoryEnabled $false",
        "Set-VMComPort -VMName 'lisa-r1-1' -Number 1 -Path '\\\\.\\pipe\\lisa-r1-1-com1'",
      ].join('\n'),
    );
    assert.ok(!steps.newVm({ ...spec, generation: 1 }).includes('Set-VMFirmware'));
    assert.equal(steps.startVm('lisa-r1-1'), "Start-VM -Name 'lisa-r1-1'");
    assert.equal(steps.stopVm('lisa-r1-1', true), "Stop-VM -Name 'lisa-r1-1' -Force");
    assert.equal(steps.stopVm('lisa-r1-1', false), "Stop-VM -Name 'lisa-r1-1' -TurnOff -Force");
    assert.equal(steps.restartVm('lisa-r1-1'), "Restart-VM -Name 'lisa-r1-1' -Force");
    assert.equal(
      steps.address('lisa-r1-1'),
      "Get-VMNetworkAdapter -VMName 'lisa-r1-1' | ForEach-Object { $_.IPAddresses } | Where-Object { $_ -match '^\\d+\\.\\d+\\.\\d+\\.\\d+$' } | Select-Object -First 1",
    );
    assert.equal(
      steps.readComPort('lisa-r1-1-com1'),
      "$pipe = New-Object System.IO.Pipes.NamedPipeClientStream('.', 'lisa-r1-1-com1', [System.IO.Pipes.PipeDirection]::In)\n$pipe.Connect(60000)\n$pipe.CopyTo([Console]::OpenStandardOutput())",
    );
    assert.equal(
      steps.addDisk('lisa-r1-1', 'C:\\lisa\\lisa-r1-1\\d1.vhdx', 4),
      "New-VHD -Path 'C:\\lisa\\lisa-r1-1\\d1.vhdx' -SizeBytes 4GB -Dynamic | Out-Null\nAdd-VMHardDiskDrive -VMName 'lisa-r1-1' -ControllerType SCSI -Path 'C:\\lisa\\lisa-r1-1\\d1.vhdx'",
    );
    assert.equal(
      steps.removeDisk('lisa-r1-1', 'C:\\lisa\\lisa-r1-1\\d1.vhdx'),
      "Get-VMHardDiskDrive -VMName 'lisa-r1-1' | Where-Object { $_.Path -eq 'C:\\lisa\\lisa-r1-1\\d1.vhdx' } | Remove-VMHardDiskDrive\nRemove-Item -Force -Path 'C:\\lisa\\lisa-r1-1\\d1.vhdx'",
    );
    assert.equal(
      steps.removeVm('lisa-r1-1', spec.dir),
      "if (Get-VM -Name 'lisa-r1-1' -ErrorAction SilentlyContinue) {\n  Stop-VM -Name 'lisa-r1-1' -TurnOff -Force\n  Remove-VM -Name 'lisa-r1-1' -Force\n}\nRemove-Item -Recurse -Force -ErrorAction SilentlyContinue -Path 'C:\\lisa\\lisa-r1-1'",
    );
  });
});
