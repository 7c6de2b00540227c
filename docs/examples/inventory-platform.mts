/**
 * A worked example of a platform plugin: machines listed in a JSON inventory file (as a lab's
 * fleet database might export it), handed out one machine per environment.
 *
 * Runbook (the path is relative to the runbook; the section is named by the registration's type):
 *   platform:
 *     - type: ./plugins/inventory-platform.mts
 *       inventory:
 *         file: ./machines.json
 *
 * machines.json: [{ "name": "lab-07", "address": "10.1.2.7", "port": 22, "username": "qa",
 *                   "private_key_file": "/home/qa/.ssh/id_ed25519" }, ...]
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  definePlatform,
  FileSink,
  matchRequirement,
  SshNode,
  z,
  type Environment,
  type Match,
  type NodeCapability,
  type OsInfo,
  type Platform,
  type PlatformConfig,
  type PlatformContext,
  type Requirement,
} from 'lisa-ts';

const machineSchema = z.strictObject({
  name: z.string(),
  address: z.string(),
  port: z.number().int().default(22),
  username: z.string(),
  private_key_file: z.string(),
});

const inventorySchema = z.strictObject({ file: z.string().describe('JSON list of machines, relative to the runbook') });
type InventorySection = z.output<typeof inventorySchema>;

interface Machine {
  env: Environment & { capabilities: NodeCapability[] };
  os: OsInfo[];
  leased: boolean;
}

class InventoryPlatform implements Platform {
  readonly type = 'inventory';
  private machines: Machine[] = [];

  constructor(private readonly config: PlatformConfig<InventorySection>) {}

  /** Reads the inventory and asks every machine what it really is (cores, memory, OS). */
  async prepare(ctx: PlatformContext): Promise<void> {
    const file = resolve(this.config.baseDir, this.config.options.file);
    const list = z.array(machineSchema).parse(JSON.parse(readFileSync(file, 'utf8')));
    this.machines = await Promise.all(
      list.map(async (m) => {
        const node = new SshNode({
          name: m.name,
          log: ctx.log.child(m.name, [new FileSink(`${ctx.runDir}/nodes/${m.name}.log`)], { quiet: true }),
          masker: ctx.masker,
          connection: {
            address: m.address,
            port: m.port,
            username: m.username,
            privateKeyFile: resolve(dirname(file), m.private_key_file),
          },
        });
        const env = {
          id: m.name,
          platform: this.type,
          nodes: [node],
          capabilities: [await node.capability()],
          features: [],
          feature: () => undefined,
        };
        return { env, os: [await node.os()], leased: false };
      }),
    );
  }

  private fits(m: Machine, req: Requirement): Match {
    return matchRequirement(req, { platform: this.type, capabilities: m.env.capabilities, os: m.os, features: [] });
  }

  /** A requirement no machine meets makes its cases SKIPPED, naming what is missing. */
  async match(req: Requirement): Promise<Match> {
    const results = this.machines.map((m) => this.fits(m, req));
    return results.find((r) => r.ok) ?? results[0] ?? { ok: false, unmet: 'a machine in the inventory' };
  }

  maxParallel(): number {
    return Math.max(1, this.machines.length);
  }

  /** Leases a free machine that fits; undefined tells the scheduler to wait for a release. */
  async deploy(req: Requirement): Promise<Environment | undefined> {
    const m = this.machines.find((x) => !x.leased && !x.env.broken && this.fits(x, req).ok);
    if (m) m.leased = true;
    return m?.env;
  }

  async release(env: Environment): Promise<void> {
    const m = this.machines.find((x) => x.env === env);
    if (m) m.leased = false;
  }

  async dispose(): Promise<void> {
    await Promise.all(this.machines.map((m) => m.env.nodes[0]!.close()));
  }
}

// The default export is the whole registration: the `inventory:` section's schema (checked with
// file:line:col errors, shown by `lisa schema`) and the factory, which gets the validated section.
export default definePlatform({
  type: 'inventory',
  schema: inventorySchema,
  create: (config) => new InventoryPlatform(config),
});
