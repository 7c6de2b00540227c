import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { FileSink } from '../../logging/logger.js';
import { SshNode } from '../../node/ssh-node.js';
import type { PlatformConfig } from '../../runbook/types.js';
import type { Requirement } from '../../testing/types.js';
import { ensureRunKey } from '../qemu/keys.js';
import type { Environment, Leftover, Match, Platform, PlatformContext } from '../types.js';
import type { AzureClients } from './clients.js';
import { checkCredential, createCredential, type AzureConnection } from './credential.js';
import { deployVms, ProvisioningError } from './deploy.js';
import { AzureSerialConsole } from './serial-console.js';
import { AZURE_FEATURES, AzureEnvironment } from './environment.js';
import { CAPACITY } from './errors.js';
import { ResourceBusyError } from '../resource-busy.js';
import { quotaVerdict, readUsages } from './quota.js';
import { ExistingGroup } from './existing.js';
import { GroupKeeper, groupLeftovers } from './groups.js';
import { resolveImage } from './image.js';
import { imageName as nameOfImage } from './image-source.js';
import { Ledger } from './ledger.js';
import { parseAzureOptions, type AzureOptions } from './options.js';
import { printPlan } from './plan.js';
import { Placer, type Candidate, type Placement } from './placement.js';

/**
 * Azure through the real SDK: one resource group per environment, recorded in a ledger and tagged
 * before it is created, deleted on release, on errors and on Ctrl-C, and reapable after a SIGKILL.
 */
export class AzurePlatform implements Platform {
  readonly type = 'azure';
  readonly options: AzureOptions;
  private clients: AzureClients | undefined;
  private groups: GroupKeeper | undefined;
  private publicKey = '';
  private privateKeyFile = '';
  private placer: Placer | undefined;
  private readonly envs = new Set<AzureEnvironment>();
  private counter = 0;
  private planned = new Set<string>();
  private ca: string | undefined;
  /** `resource_group_name` with `deploy: false`: the group's own VMs, never created or deleted. */
  private existing: ExistingGroup | undefined;

  constructor(config: PlatformConfig) {
    this.options = parseAzureOptions(config);
  }

  async prepare(ctx: PlatformContext): Promise<void> {
    const o = this.options;
    for (const s of [o.credential.client_secret, o.credential.token, o.credential.client_assertion]) ctx.masker.add(s);
    // A VHD URL usually carries a SAS token: its query is a secret (LISA masks it too).
    if (o.image.kind === 'vhd') ctx.masker.add(new URL(o.image.vhdPath).search.slice(1) || undefined);
    const ca = o.caFile
      ? await readFile(o.caFile, 'utf8').catch(() => {
          throw new Error(`runbook platform azure.cloud.ca_file: cannot read ${o.caFile}`);
        })
      : undefined;
    this.ca = ca;
    const conn: AzureConnection = {
      credential: createCredential(o, ca),
      endpoint: o.armEndpoint,
      scope: o.tokenScope,
      ca,
    };
    // The ARM SDKs take seconds to load on a busy host: a wrong secret is reported before that.
    await checkCredential(conn, ctx.signal);
    const { createClients } = await import('./clients.js');
    this.clients = createClients(conn, o.subscriptionId);
    this.placer = new Placer(this.clients, o);
    this.groups = new GroupKeeper(this.clients, Ledger.forUser(), {
      subscription: o.subscriptionId,
      endpoint: o.armEndpoint,
      run: basename(ctx.runDir),
      log: ctx.log,
      owner: o.owner,
      expiryHours: o.expiryHours,
    });
    if (o.adminPrivateKeyFile) {
      this.privateKeyFile = o.adminPrivateKeyFile;
      this.publicKey = (await readFile(`${o.adminPrivateKeyFile}.pub`, 'utf8')).trim();
    } else {
      const key = await ensureRunKey(join(ctx.runDir, 'azure', 'key'));
      this.privateKeyFile = key.privateKeyFile;
      this.publicKey = key.publicKey;
    }
    ctx.log.info(`azure: authenticated (${o.credential.type}) at ${o.armEndpoint}, subscription ${o.subscriptionId}`);
    if (!o.deploy) {
      this.existing = new ExistingGroup(this.clients, o, (l) => this.placer!.skusOf(l), ca);
      await this.existing.load(ctx);
    }
  }

  private place(req: Requirement): Promise<Placement | { unmet: string }> {
    return this.placer!.place(req);
  }

  async match(req: Requirement): Promise<Match> {
    if (req.supportedPlatforms?.length && !req.supportedPlatforms.includes('azure'))
      return { ok: false, unmet: `platform ${req.supportedPlatforms.join(' or ')} (this is azure)` };
    const missing = (req.features ?? []).find((f) => !AZURE_FEATURES.includes(f));
    if (missing)
      return { ok: false, unmet: `feature ${missing} (azure offers ${AZURE_FEATURES.join(', ') || 'none yet'})` };
    if (this.existing) return this.existing.match(req);
    const placed = await this.place(req);
    if ('unmet' in placed) return { ok: false, unmet: placed.unmet };
    if (this.options.dryRun) {
      const key = JSON.stringify(req);
      if (!this.planned.has(key)) {
        this.planned.add(key);
        const first = placed.candidates[0]!;
        const image = await resolveImage(
          this.clients!.compute,
          first.location,
          this.options.image,
          new AbortController().signal,
        );
        await printPlan(this.clients!, {
          location: first.location,
          sizes: placed.candidates.filter((c) => c.location === first.location).map((c) => c.size),
          image,
          nodes: req.nodes ?? 1,
        });
      }
      return { ok: false, unmet: 'dry_run: nothing is deployed (plan printed above)' };
    }
    return { ok: true };
  }

  maxParallel(): number {
    return 8;
  }

  /**
   * Tries each (location, size) in order. Quota in use and capacity errors (SkuNotAvailable,
   * AllocationFailed, quota exceeded) move on to the next; when every candidate is waiting for
   * capacity, the deploy fails with a ResourceBusyError, which the orchestrator tries again until
   * `wait_resource_timeout` (the top-level key, or this section's own).
   */
  async deploy(req: Requirement, ctx: PlatformContext): Promise<Environment | undefined> {
    if (!this.clients || !this.groups) throw new Error('platform azure: deploy() before prepare()');
    if (this.existing) {
      const env = this.existing.lease(req, ctx, this.privateKeyFile);
      if (env) this.envs.add(env);
      return env;
    }
    const placed = await this.place(req);
    if ('unmet' in placed) throw new Error(`azure: no VM size fits: ${placed.unmet}`);
    const id = `azure${++this.counter}`;
    const nodes = req.nodes ?? 1;
    let attempt = 0;
    const reasons: string[] = [];
    let waitable = false;
    for (const cand of placed.candidates) {
      const what = `${cand.size.name} in ${cand.location}`;
      const q = quotaVerdict(
        await readUsages(this.clients, cand.location, ctx.signal),
        cand.size.family,
        cand.size.cores * nodes,
      );
      if (!q.ok) {
        reasons.push(`${what}: ${q.reason}`);
        waitable ||= q.kind === 'in-use';
        continue;
      }
      try {
        return await this.deployOn(id, ++attempt, cand, req, ctx);
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (ctx.signal.aborted || !(e instanceof ProvisioningError) || !CAPACITY.has(code ?? '')) throw e;
        reasons.push(`${what}: ${code}`);
        waitable ||= code !== 'SkuNotAvailable';
        ctx.log.warn(`azure: ${id}: ${code} for ${what}; trying the next size or location`);
      }
    }
    const message = `azure: no capacity for ${id}: ${reasons.join('; ')}`;
    throw waitable ? new ResourceBusyError(message) : new Error(message);
  }

  /** One attempt: a new resource group, its network and VMs; on failure the group is deleted. */
  private async deployOn(
    id: string,
    attempt: number,
    cand: Candidate,
    req: Requirement,
    ctx: PlatformContext,
  ): Promise<Environment> {
    const o = this.options;
    const placed = { location: cand.location };
    const size = cand.size;
    const clients = this.clients!;
    const groups = this.groups!;
    const image = await resolveImage(clients.compute, placed.location, o.image, ctx.signal);
    const started = Date.now();
    const group = await groups.create(attempt > 1 ? `${id}-${attempt}` : id, placed.location, this.tags(), ctx.signal);
    const serialOf = (names: string[]) =>
      new AzureSerialConsole(
        this.clients!,
        names.map((vm) => ({
          name: `${id}-${vm}`,
          group,
          vm,
          file: join(ctx.runDir, 'azure', id, `${vm}.serial.log`),
        })),
        this.ca,
        ctx.log,
      );
    try {
      const vms = await deployVms(
        clients,
        {
          group,
          location: placed.location,
          size: size.name,
          image,
          subscription: o.subscriptionId,
          vhdGeneration: o.vhdGeneration,
          nodes: req.nodes ?? 1,
          adminUsername: o.adminUsername,
          publicKey: this.publicKey,
          tags: this.tags(),
          provisionTimeoutMs: o.provisionTimeoutMs,
        },
        ctx.log,
        ctx.signal,
      );
      const nodes = vms.map(
        (vm) =>
          new SshNode({
            name: `${id}-${vm.name}`,
            log: ctx.log.child(`${id}-${vm.name}`, [new FileSink(join(ctx.runDir, 'nodes', `${id}-${vm.name}.log`))], {
              quiet: true,
            }),
            masker: ctx.masker,
            connectTimeoutMs: 180_000,
            // A VM this run just created runs nothing of a killed run: no sweep before the first command.
            sweepOrphans: false,
            connection: {
              address: o.usePublicAddress ? vm.address : (vm.privateAddress ?? vm.address),
              port: 22,
              username: o.adminUsername,
              privateKeyFile: this.privateKeyFile,
              ...(ctx.jumpHosts?.length ? { jumpHosts: ctx.jumpHosts } : {}),
            },
          }),
      );
      const imageName = nameOfImage(image);
      const serial = serialOf(vms.map((v) => v.name));
      const env = new AzureEnvironment(
        id,
        group,
        true,
        vms,
        nodes,
        size,
        serial,
        { clients, log: ctx.log, bootTimeoutMs: 300_000, skus: (l) => this.placer!.skusOf(l) },
        imageName,
      );
      env.signal = ctx.signal;
      this.envs.add(env);
      // The first save holds the whole boot; later ones add what each case printed.
      await serial.refresh();
      serial.checkSinceLast();
      ctx.log.info(
        `azure: ${id} ready in ${((Date.now() - started) / 1000).toFixed(1)} s: group ${group}, ${placed.location}, ${size.name}, ` +
          `${imageName}, ${vms.map((v) => `${v.name}@${v.address}`).join(' ')}`,
      );
      return env;
    } catch (e) {
      const capacity = e instanceof ProvisioningError && CAPACITY.has(e.code ?? '');
      if (e instanceof ProvisioningError && !capacity && !ctx.signal.aborted)
        throw await this.failedProvisioning(e, serialOf, group, ctx);
      await groups.delete(group, { wait: true, timeoutMs: o.deleteTimeoutMs });
      throw e;
    }
  }

  /**
   * A VM that failed to provision: its serial log is saved to the run directory and scanned, so the
   * error names a kernel panic when there was one; then the group is deleted (or kept when
   * `keep_environment: failed`).
   */
  private async failedProvisioning(
    e: ProvisioningError,
    serialOf: (names: string[]) => AzureSerialConsole,
    group: string,
    ctx: PlatformContext,
  ): Promise<Error> {
    const serial = serialOf([e.vmName]);
    await serial.refresh();
    const panic = serial.scan(0).panics[0];
    const where = serial.logFiles()[0]!;
    const message =
      `azure: VM ${e.vmName} failed to provision${e.code ? ` (${e.code})` : ''}: ${e.message.replace(/^azure: /, '')}` +
      (panic ? `\nkernel panic on its serial console:\n${panic}` : '') +
      `\nserial log: ${where}`;
    const mode = this.options.keepEnvironment;
    if (mode === 'always' || mode === 'failed') {
      this.groups!.keep(group);
      ctx.log.info(`azure: keeping resource group ${group} of the failed deployment (keep_environment: ${mode})`);
    } else await this.groups!.delete(group, { wait: true, timeoutMs: this.options.deleteTimeoutMs });
    return new Error(message);
  }

  private tags(): Record<string, string> {
    return { ...this.options.tags };
  }

  async release(env: Environment, ctx: PlatformContext, outcome: { failed: boolean }): Promise<void> {
    const e = env as AzureEnvironment;
    this.envs.delete(e);
    await Promise.all(e.nodes.map((n) => n.close().catch(() => {})));
    if (!ctx.signal.aborted) await e.serial.refresh();
    if (!e.ownsGroup) {
      // A group the runbook named (deploy: false) is the user's: never deleted, nor kept as ours.
      this.existing?.giveBack(e);
      return;
    }
    const mode = this.options.keepEnvironment;
    if (mode === 'always' || (mode === 'failed' && (outcome.failed || !!e.broken))) {
      this.groups!.keep(e.group);
      ctx.log.info(`azure: keeping resource group ${e.group} (keep_environment: ${mode})`);
      return;
    }
    await this.groups!.delete(e.group, { wait: this.options.waitDelete, timeoutMs: this.options.deleteTimeoutMs });
  }

  async dispose(ctx: PlatformContext): Promise<Leftover[]> {
    for (const env of [...this.envs]) await this.release(env, ctx, { failed: false });
    return groupLeftovers((await this.groups?.settle(this.options.deleteTimeoutMs)) ?? [], this.options);
  }
}
