/** The few XML pieces the JUnit report is made of, written as text so a large report can be streamed. */

// Characters XML 1.0 forbids anywhere, even escaped (ESC from coloured test output is the usual
// one): a report holding one is rejected whole by JUnit readers, so they are replaced.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlText(text: string): string {
  return text.replace(NOT_XML, '\uFFFD');
}

/** An attribute value; line breaks as character references, since parsers turn literal ones into spaces. */
export function attr(value: string): string {
  return xmlText(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

/** A CDATA section; `]]>` inside the text is split across two sections, as XML requires. */
export function cdata(text: string): string {
  return `<![CDATA[${xmlText(text).replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

export function properties(indent: string, props: [string, string][]): string {
  if (props.length === 0) return '';
  const items = props.map(([n, v]) => `${indent}  <property name="${attr(n)}" value="${attr(v)}"/>\n`).join('');
  return `${indent}<properties>\n${items}${indent}</properties>\n`;
}

/** Seconds as JUnit consumers read them: no trailing zeros, no float noise. */
export function seconds(ms: number): string {
  return String(Math.round(ms) / 1000);
}

/** What a test case is for the counts in its <testsuite> and <testsuites>. */
export type Outcome = 'passed' | 'failure' | 'skipped';

export interface TestCaseXml {
  classname: string;
  name: string;
  timeMs?: number;
  props?: [string, string][];
  failure?: { message: string; type: string; body?: string };
  skipped?: string;
  systemOut?: string;
}

export function outcomeOf(tc: Pick<TestCaseXml, 'failure' | 'skipped'>): Outcome {
  return tc.failure ? 'failure' : tc.skipped !== undefined ? 'skipped' : 'passed';
}

export function testCase(tc: TestCaseXml): string {
  const time = tc.timeMs !== undefined ? ` time="${seconds(tc.timeMs)}"` : '';
  const head = `    <testcase classname="${attr(tc.classname)}" name="${attr(tc.name)}"${time}`;
  let body = properties('      ', tc.props ?? []);
  if (tc.failure) {
    const f = tc.failure;
    body += `      <failure message="${attr(f.message)}" type="${attr(f.type)}"${f.body ? `>${cdata(f.body)}</failure>` : '/>'}\n`;
  }
  if (tc.skipped !== undefined) body += `      <skipped message="${attr(tc.skipped)}"/>\n`;
  if (tc.systemOut) body += `      <system-out>${cdata(tc.systemOut)}</system-out>\n`;
  return body ? `${head}>\n${body}    </testcase>\n` : `${head}/>\n`;
}

export interface Counts {
  tests: number;
  failures: number;
  skipped: number;
}

export function countsAttrs(c: Counts): string {
  return `tests="${c.tests}" failures="${c.failures}" errors="0" skipped="${c.skipped}"`;
}

export function add(c: Counts, o: Outcome): void {
  c.tests++;
  if (o === 'failure') c.failures++;
  else if (o === 'skipped') c.skipped++;
}
