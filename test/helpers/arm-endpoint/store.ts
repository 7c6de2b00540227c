/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access -- ARM bodies are arbitrary JSON that this test endpoint stores and echoes, as ARM does. */
import { randomUUID } from 'node:crypto';
import type { RunningGuest } from './guests.js';

export interface VmState {
  name: string;
  group: string;
  body: Record<string, any>;
  guest?: RunningGuest;
  power: 'starting' | 'running' | 'stopping' | 'deallocated' | 'stopped';
  /** A long-running operation (update, power action) is in flight: further writes get a 409. */
  busy?: boolean;
  /** The guest's serial console file, kept after the guest is gone (boot diagnostics serve it). */
  serialLog?: string;
  provisioning: 'Creating' | 'Updating' | 'Succeeded' | 'Failed' | 'Deleting';
  /** Public IP resource id that the VM's NIC uses, resolved at boot. */
  address?: string;
}

export interface GroupState {
  name: string;
  location: string;
  tags: Record<string, string>;
  /** Lower-cased resource id -> stored body (networks, IPs, NICs). */
  resources: Map<string, Record<string, any>>;
  vms: Map<string, VmState>;
  deleting: boolean;
  /** The delete actually running (a DELETE while it runs follows it). */
  deleteOp?: Operation;
  /** DELETEs accepted while the `stuckDelete` fault was set: they never complete on their own. */
  stuckDeletes?: Operation[];
  /** The group's virtual network as a QEMU multicast socket (`addr:port`), made at its first VM. */
  vnet?: { mcast: string; port: number; seed: number; nics: number };
}

export interface Operation {
  id: string;
  status: 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled';
  error?: { code: string; message: string };
  startTime: string;
  endTime?: string;
}

export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
}

/** Everything the endpoint holds, exposed as JSON at STATE_URL. */
export class ArmStore {
  readonly groups = new Map<string, GroupState>();
  readonly operations = new Map<string, Operation>();
  readonly requests: LoggedRequest[] = [];

  group(name: string): GroupState | undefined {
    return this.groups.get(name.toLowerCase());
  }

  startOperation(): Operation {
    const op: Operation = { id: randomUUID(), status: 'InProgress', startTime: new Date().toISOString() };
    this.operations.set(op.id, op);
    return op;
  }

  finish(op: Operation, error?: { code: string; message: string }): void {
    op.status = error ? 'Failed' : 'Succeeded';
    op.error = error;
    op.endTime = new Date().toISOString();
  }

  snapshot(): unknown {
    return {
      resourceGroups: [...this.groups.values()].map((g) => ({
        name: g.name,
        location: g.location,
        tags: g.tags,
        deleting: g.deleting,
      })),
      vms: [...this.groups.values()].flatMap((g) =>
        [...g.vms.values()].map((v) => ({
          group: g.name,
          name: v.name,
          power: v.power,
          provisioning: v.provisioning,
          address: v.guest?.address,
          pid: v.guest?.pid,
          size: v.body.properties?.hardwareProfile?.vmSize,
        })),
      ),
      requests: this.requests,
    };
  }
}
