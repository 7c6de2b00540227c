import { expectEqual, expectTrue } from '../../src/testing/assert.js';
import { defineSuite } from '../../src/testing/define.js';

/**
 * The smallest proof that a node is usable: it answers, its OS can be identified, commands and
 * their output make the round trip intact, and it comes back from a reboot.
 */
export default defineSuite({
  name: 'smoke',
  area: 'smoke',
  category: 'functional',
  description: 'node reachable, OS facts read, command round trip, reboot survives',
  tags: ['smoke'],
  owner: 'lisa-ts',
  cases: [
    {
      name: 'reachable',
      priority: 0,
      timeoutMs: 120_000,
      description: 'every node of the environment answers a command',
      async run(ctx) {
        for (const node of ctx.nodes) {
          const r = await node.execute('echo alive', { timeoutMs: 60_000 });
          expectEqual(`reply of ${node.name}`, r.stdout.trim(), 'alive');
        }
      },
    },
    {
      name: 'os_facts',
      priority: 0,
      timeoutMs: 120_000,
      description: 'the OS, kernel and architecture of each node can be identified',
      async run(ctx) {
        for (const node of ctx.nodes) {
          const os = await node.os();
          ctx.log.info(
            `${node.name}: ${os.name} (${os.families.join(' > ')}), kernel ${os.kernel.release}, ${os.arch}`,
          );
          expectTrue(
            `OS family of ${node.name}`,
            !os.families.includes('unknown'),
            'a known OS family',
            `unknown (id "${os.id}")`,
          );
          expectTrue(
            `kernel release of ${node.name}`,
            /^\d+\.\d+/.test(os.kernel.release),
            'a version like 6.1.0',
            JSON.stringify(os.kernel.release),
          );
          expectTrue(`architecture of ${node.name}`, os.arch.length > 0, 'a machine architecture', 'nothing');
        }
      },
    },
    {
      name: 'command_round_trip',
      priority: 1,
      timeoutMs: 120_000,
      description: 'stdout, stderr, exit codes, stdin and large outputs arrive intact',
      async run(ctx) {
        const node = ctx.node;
        const r = await node.execute(`printf 'out'; printf 'err' >&2; exit 3`, { noErrorLog: true });
        expectEqual('stdout', r.stdout, 'out');
        expectEqual('stderr', r.stderr, 'err');
        expectEqual('exit code', r.exitCode, 3);
        const echo = await node.execute('cat', { input: 'through stdin\n' });
        expectEqual('stdin echoed back', echo.stdout, 'through stdin\n');
        const big = await node.execute('head -c 1000000 /dev/zero | tr "\\0" x');
        expectEqual('length of a 1 MB output', big.stdout.length, 1_000_000);
        const quoted = await node.execute(`printf '%s' "it's \\$HOME"`);
        expectEqual('quoting', quoted.stdout, "it's $HOME");
      },
    },
    {
      name: 'reboot',
      priority: 1,
      timeoutMs: 900_000,
      tags: ['disruptive'],
      description: 'the node reboots and comes back healthy',
      async run(ctx) {
        const node = ctx.node;
        if (node.kind === 'local') ctx.skip('cannot reboot the machine the harness itself runs on');
        const before = (await node.readFile('/proc/sys/kernel/random/boot_id')).trim();
        await node.reboot({ timeoutMs: 600_000 });
        const after = (await node.readFile('/proc/sys/kernel/random/boot_id')).trim();
        expectTrue('boot id after reboot', before !== after, `a new boot id (was ${before})`, after);
        const r = await node.execute('echo alive');
        expectEqual('reply after reboot', r.stdout.trim(), 'alive');
      },
    },
  ],
});
