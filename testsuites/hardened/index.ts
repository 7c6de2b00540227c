import { defineSuite } from '../../src/testing/define.js';
import type { CaseContext, TestCaseDefinition } from '../../src/testing/types.js';
import { FactProbe, type FactBlocks } from '../../tools/fact-probe.js';
import {
  checkPromise,
  fipsProblems,
  HARDENED_SCRIPT,
  secureBootProblems,
  selinuxProblems,
  tpmProblems,
  ukiProblems,
  verityUsrProblems,
} from './checks.js';

export const CLAIMS = ['fips', 'selinux', 'verity_usr', 'uki', 'secure_boot', 'tpm'] as const;
type Claim = (typeof CLAIMS)[number];

/** `image_claims`: a list (or comma-separated string) of what the image promises. */
export function claims(value: unknown): Set<string> {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return new Set(list.map((v) => String(v).trim()).filter(Boolean));
}

async function gather(ctx: CaseContext, claim: Claim): Promise<FactBlocks> {
  if (!claims(ctx.variables.image_claims).has(claim))
    ctx.skip(`the image does not claim ${claim} (add it to the image_claims variable)`);
  return ctx.tool(FactProbe).gather(HARDENED_SCRIPT);
}

function promise(
  name: Claim,
  description: string,
  problems: (f: FactBlocks, ctx: CaseContext) => string[],
): TestCaseDefinition {
  return {
    name,
    priority: 1,
    timeoutMs: 300_000,
    description,
    async run(ctx) {
      checkPromise(`${description} on ${ctx.node.name}`, problems(await gather(ctx, name), ctx));
    },
  };
}

/**
 * Hardened-image promises, each checked only when the image claims it (variable `image_claims`, e.g.
 * `[secure_boot, tpm, uki]`); `secure_boot_keys` lists subjects that must be in the Secure Boot db.
 */
export default defineSuite({
  name: 'hardened',
  area: 'hardened',
  category: 'functional',
  description: 'FIPS mode, SELinux enforcing, dm-verity /usr, UKI, Secure Boot keys, TPM measured boot',
  tags: ['hardened', 'security'],
  owner: 'lisa-ts',
  requirement: { supportedOs: ['linux'] },
  cases: [
    promise('fips', 'FIPS mode (fips=1, kernel, crypto policy, OpenSSL provider)', (f) => fipsProblems(f)),
    promise('selinux', 'SELinux enforcing with a loaded policy and no denials at boot', (f) => selinuxProblems(f)),
    promise('verity_usr', 'read-only /usr backed by dm-verity', (f) => verityUsrProblems(f)),
    promise('uki', 'the booted kernel is a unified kernel image', (f) => ukiProblems(f)),
    promise('secure_boot', 'Secure Boot enforced with the expected keys', (f, ctx) =>
      secureBootProblems(
        f,
        claims(ctx.variables.secure_boot_keys).size ? [...claims(ctx.variables.secure_boot_keys)] : [],
      ),
    ),
    promise('tpm', 'a TPM 2.0 with measured boot', (f) => tpmProblems(f)),
  ],
});
