import { defineSuite } from '../../src/testing/define.js';
import type { CaseContext, TestCaseDefinition } from '../../src/testing/types.js';
import { FactProbe } from '../../tools/fact-probe.js';
import { accountsSection } from './accounts.js';
import { reportControls, type CisSection, type Family } from './control.js';
import { cronSection } from './cron.js';
import { filesystemSection } from './filesystem.js';
import { kernelHardeningSection } from './kernel-hardening.js';
import { loggingSection } from './logging.js';
import { networkSection } from './network.js';
import { pamSection } from './pam.js';
import { permissionsSection } from './permissions.js';
import { servicesSection } from './services.js';
import { sshSection } from './ssh.js';
import { sudoSection } from './sudo.js';

export const CIS_SECTIONS: readonly CisSection[] = [
  filesystemSection,
  servicesSection,
  cronSection,
  networkSection,
  loggingSection,
  sshSection,
  sudoSection,
  pamSection,
  kernelHardeningSection,
  permissionsSection,
  accountsSection,
];

const RHEL_LIKE = [
  'redhat',
  'rhel',
  'centos',
  'almalinux',
  'rocky',
  'oracle',
  'fedora',
  'amazon',
  'azurelinux',
  'mariner',
];

export async function cisFamily(ctx: CaseContext): Promise<Family> {
  const os = await ctx.node.os();
  if (os.families.includes('debian')) return 'debian';
  if (os.families.some((f) => RHEL_LIKE.includes(f))) return 'rhel';
  ctx.skip(`the CIS profile covers the Debian/Ubuntu and RHEL-like/Azure Linux families, not ${os.name}`);
}

function sectionCase(section: CisSection): TestCaseDefinition {
  return {
    name: section.name,
    priority: 1,
    timeoutMs: 15 * 60_000,
    description: `CIS Level 1 ${section.sections}: ${section.description}`,
    async run(ctx) {
      const family = await cisFamily(ctx);
      const facts = await ctx.tool(FactProbe).gather(section.script(family));
      reportControls(ctx, `${section.sections} (${section.name})`, section.evaluate(facts, family));
    },
  };
}

/**
 * CIS Level 1 (server) by benchmark section, one case per section. Each case reads everything it
 * needs in one round trip, reports every control as a sub-result, and fails naming each broken
 * control with its number and the offending item.
 */
export default defineSuite({
  name: 'cis',
  area: 'cis',
  category: 'functional',
  description: 'CIS Level 1 controls for the Debian/Ubuntu and RHEL-like/Azure Linux families, by section',
  tags: ['cis', 'security', 'compliance'],
  owner: 'lisa-ts',
  requirement: { supportedOs: ['linux'] },
  cases: CIS_SECTIONS.map(sectionCase),
});
