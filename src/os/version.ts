/**
 * Compares distribution version strings ("22.04", "8.10", "2018.03", "3.19.0", "13.2-RELEASE").
 * Numeric components compare as numbers (8.10 > 8.9); a missing component counts as 0 (9 == 9.0);
 * non-numeric parts compare as strings. Returns negative, zero or positive.
 */
export function compareVersions(a: string, b: string): number {
  const pa = split(a);
  const pb = split(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0;
    const y = pb[i] ?? 0;
    if (typeof x === 'number' && typeof y === 'number') {
      if (x !== y) return x - y;
    } else {
      const c = String(x).localeCompare(String(y));
      if (c !== 0) return c;
    }
  }
  return 0;
}

function split(v: string): (number | string)[] {
  return v
    .trim()
    .split(/[.\-_+~]/)
    .filter((p) => p !== '')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** A version with comparison helpers: `new OsVersion(os.version).atLeast('22.04')`. */
export class OsVersion {
  constructor(readonly raw: string) {}

  get major(): number {
    return Number(/^\d+/.exec(this.raw)?.[0] ?? NaN);
  }

  compare(other: string | OsVersion): number {
    return compareVersions(this.raw, typeof other === 'string' ? other : other.raw);
  }

  atLeast(other: string): boolean {
    return this.compare(other) >= 0;
  }

  below(other: string): boolean {
    return this.compare(other) < 0;
  }

  toString(): string {
    return this.raw;
  }
}
