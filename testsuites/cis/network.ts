import { is, evaluateSysctls, sysctlScript, type SysctlControl } from './sysctl-controls.js';
import type { CisSection } from './control.js';

const both = (prefix: string, key: string, want: string): Record<string, (v: string) => boolean> => ({
  [`${prefix}.all.${key}`]: is(want),
  [`${prefix}.default.${key}`]: is(want),
});

/** 3.3.x network kernel parameters for a host that is not a router. */
export const NETWORK_CONTROLS: readonly SysctlControl[] = [
  {
    id: '3.3.1',
    title: 'IP forwarding is disabled',
    keys: { 'net.ipv4.ip_forward': is('0'), 'net.ipv6.conf.all.forwarding': is('0') },
    expected: '0',
  },
  {
    id: '3.3.2',
    title: 'packet redirect sending is disabled',
    keys: both('net.ipv4.conf', 'send_redirects', '0'),
    expected: '0',
  },
  {
    id: '3.3.3',
    title: 'bogus ICMP responses are ignored',
    keys: { 'net.ipv4.icmp_ignore_bogus_error_responses': is('1') },
    expected: '1',
  },
  {
    id: '3.3.4',
    title: 'broadcast ICMP requests are ignored',
    keys: { 'net.ipv4.icmp_echo_ignore_broadcasts': is('1') },
    expected: '1',
  },
  {
    id: '3.3.5',
    title: 'ICMP redirects are not accepted',
    keys: { ...both('net.ipv4.conf', 'accept_redirects', '0'), ...both('net.ipv6.conf', 'accept_redirects', '0') },
    expected: '0',
  },
  {
    id: '3.3.6',
    title: 'secure ICMP redirects are not accepted',
    keys: both('net.ipv4.conf', 'secure_redirects', '0'),
    expected: '0',
  },
  {
    id: '3.3.7',
    title: 'reverse path filtering is enabled',
    keys: both('net.ipv4.conf', 'rp_filter', '1'),
    expected: '1',
  },
  {
    id: '3.3.8',
    title: 'source routed packets are not accepted',
    keys: {
      ...both('net.ipv4.conf', 'accept_source_route', '0'),
      ...both('net.ipv6.conf', 'accept_source_route', '0'),
    },
    expected: '0',
  },
  {
    id: '3.3.9',
    title: 'suspicious packets are logged',
    keys: both('net.ipv4.conf', 'log_martians', '1'),
    expected: '1',
  },
  { id: '3.3.10', title: 'TCP SYN cookies are enabled', keys: { 'net.ipv4.tcp_syncookies': is('1') }, expected: '1' },
  {
    id: '3.3.11',
    title: 'IPv6 router advertisements are not accepted',
    keys: both('net.ipv6.conf', 'accept_ra', '0'),
    expected: '0',
  },
];

export const networkSection: CisSection = {
  name: 'network',
  sections: '3.3',
  description: 'forwarding, redirects, source routing, martians logging, SYN cookies, IPv6 router advertisements',
  script: () => sysctlScript('sysctl', NETWORK_CONTROLS),
  evaluate: (facts) => evaluateSysctls(facts, 'sysctl', NETWORK_CONTROLS),
};
