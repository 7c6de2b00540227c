import { defineSuite } from '../../src/testing/define.js';
import { Accounts } from '../../tools/accounts.js';
import { AppArmor } from '../../tools/apparmor.js';
import { FipsMode } from '../../tools/fips.js';
import { LoginDefs } from '../../tools/login-defs.js';
import { Selinux } from '../../tools/selinux.js';
import { ShellHistory } from '../../tools/shell-history.js';
import { SshHostKeys, type HostKeyFingerprint } from '../../tools/ssh-host-keys.js';
import { SshdConfig } from '../../tools/sshd-config.js';
import { WorldWritable } from '../../tools/world-writable.js';
import { WriteProbe } from '../../tools/write-probe.js';
import {
  checkFips,
  checkHostKeysUnique,
  checkMacEnforcing,
  checkNoEmptyPasswords,
  checkNoHostKeys,
  checkNoShellHistory,
  checkNoWorldWritable,
  checkOnlyRootHasUid0,
  checkSshEmptyPasswords,
  checkSshRootLogin,
  checkUmask,
  checkUsrReadOnly,
  fipsReport,
  macReport,
} from './checks.js';

function flag(v: unknown): boolean {
  return v === true || v === 'true' || v === 'yes' || v === 1 || v === '1';
}

/**
 * Security and image hygiene in the spirit of CIS Level 1. Variables: `require_mac` (fail unless
 * SELinux or AppArmor enforces), `expect_fips` (true/false: FIPS mode must match), `image_candidate`
 * (fail when host keys are present: the node is about to be captured as an image),
 * `allow_shared_host_keys`.
 */
export default defineSuite({
  name: 'security',
  area: 'security',
  category: 'functional',
  description: 'sshd hardening, file permissions, accounts, umask, MAC and FIPS state, image leftovers',
  tags: ['security', 'cis'],
  owner: 'lisa-ts',
  requirement: { supportedOs: ['linux'] },
  cases: [
    {
      name: 'ssh_no_root_password_login',
      priority: 1,
      timeoutMs: 300_000,
      description:
        'sshd does not allow root to log in with a password (PermitRootLogin is not yes), also under Match blocks',
      async run(ctx) {
        const sshd = ctx.tool(SshdConfig);
        if (!(await sshd.exists())) ctx.skip('sshd is not installed');
        checkSshRootLogin(`${ctx.node.name}`, await sshd.effective());
        checkSshRootLogin(`${ctx.node.name} for a root connection`, await sshd.effective({ user: 'root' }));
      },
    },
    {
      name: 'ssh_no_empty_passwords',
      priority: 1,
      timeoutMs: 300_000,
      description: 'sshd refuses empty passwords (PermitEmptyPasswords no)',
      async run(ctx) {
        const sshd = ctx.tool(SshdConfig);
        if (!(await sshd.exists())) ctx.skip('sshd is not installed');
        checkSshEmptyPasswords(ctx.node.name, await sshd.effective());
      },
    },
    {
      name: 'no_world_writable_system_files',
      priority: 1,
      timeoutMs: 900_000,
      description:
        'no world-writable files, nor world-writable directories without the sticky bit, under /usr /etc /bin /sbin /lib /boot',
      async run(ctx) {
        checkNoWorldWritable(ctx.node.name, await ctx.tool(WorldWritable).scan());
      },
    },
    {
      name: 'no_empty_passwords',
      priority: 1,
      timeoutMs: 300_000,
      description: 'no account has an empty password and only root has UID 0',
      async run(ctx) {
        const accounts = ctx.tool(Accounts);
        checkNoEmptyPasswords(ctx.node.name, await accounts.shadow());
        checkOnlyRootHasUid0(ctx.node.name, await accounts.passwd());
      },
    },
    {
      name: 'default_umask',
      priority: 2,
      timeoutMs: 300_000,
      description: 'the default umask is 022 or stricter in login.defs and shell profiles',
      async run(ctx) {
        checkUmask(ctx.node.name, await ctx.tool(LoginDefs).umaskSettings());
      },
    },
    {
      name: 'mac_state',
      priority: 2,
      timeoutMs: 300_000,
      description: 'SELinux and AppArmor state reported as sub-results; enforced with require_mac',
      async run(ctx) {
        const selinux = await ctx.tool(Selinux).status();
        const apparmor = await ctx.tool(AppArmor).status();
        for (const r of macReport(selinux, apparmor)) ctx.subResult(r.name, r.status, r.message);
        if (flag(ctx.variables.require_mac)) checkMacEnforcing(ctx.node.name, selinux, apparmor);
      },
    },
    {
      name: 'fips_mode',
      priority: 2,
      timeoutMs: 300_000,
      description: 'FIPS mode reported; checked against expect_fips when set',
      async run(ctx) {
        const state = await ctx.tool(FipsMode).state();
        const r = fipsReport(state);
        ctx.subResult(r.name, r.status, r.message);
        ctx.log.info(r.message);
        if (ctx.variables.expect_fips !== undefined) checkFips(ctx.node.name, state, flag(ctx.variables.expect_fips));
      },
    },
    {
      name: 'usr_read_only',
      priority: 1,
      timeoutMs: 300_000,
      description: 'immutable hosts keep /usr read-only, even for root',
      requirement: { supportedOs: ['flatcar', 'coreos'] },
      async run(ctx) {
        checkUsrReadOnly(ctx.node.name, await ctx.tool(WriteProbe).probe('/usr'));
      },
    },
    {
      name: 'no_shell_history',
      priority: 2,
      timeoutMs: 300_000,
      description: 'no non-empty shell history under /root or /home (commands left by the image build)',
      async run(ctx) {
        checkNoShellHistory(ctx.node.name, await ctx.tool(ShellHistory).leftovers());
      },
    },
    {
      name: 'ssh_host_keys',
      priority: 2,
      timeoutMs: 300_000,
      description: 'host key fingerprints reported; fails when present only if image_candidate is set',
      async run(ctx) {
        const keys = await ctx.tool(SshHostKeys).fingerprints();
        for (const k of keys)
          ctx.subResult(`${k.type.toLowerCase()} host key`, 'PASSED', `${k.bits} ${k.fingerprint} ${k.path}`);
        checkNoHostKeys(ctx.node.name, keys, flag(ctx.variables.image_candidate));
      },
    },
    {
      name: 'ssh_host_keys_unique',
      priority: 2,
      timeoutMs: 300_000,
      description: 'nodes cloned from one image do not share SSH host keys',
      requirement: { nodes: 2 },
      async run(ctx) {
        if (flag(ctx.variables.allow_shared_host_keys)) ctx.skip('allow_shared_host_keys is set');
        const byNode: Record<string, HostKeyFingerprint[]> = {};
        for (const node of ctx.nodes) byNode[node.name] = await ctx.tool(SshHostKeys, node).fingerprints();
        checkHostKeysUnique(byNode);
      },
    },
  ],
});
