import { isIP } from 'node:net';

export type Env = Readonly<Record<string, string | undefined>>;

/** The shortest API key accepted, from the environment or (checked when presented, the file holding only digests) API_KEYS_FILE. */
export const MIN_KEY_LENGTH = 16;

/** Reads each variable once, collecting every problem instead of stopping at the first. */
export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  text(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.text(name);
    if (raw === undefined) {
      return fallback;
    }
    if (!/^-?\d+$/.test(raw)) {
      this.problems.push(`${name}: expected an integer, got "${raw}"`);
      return fallback;
    }
    const value = Number(raw);
    if (value < min || value > max) {
      this.problems.push(`${name}: must be between ${min} and ${max}, got ${value}`);
      return fallback;
    }
    return value;
  }

  /** A decimal number of seconds, returned in milliseconds. */
  seconds(name: string, fallback: number, min: number, max: number): number {
    const raw = this.text(name);
    if (raw === undefined) {
      return fallback * 1000;
    }
    if (!/^\d+(\.\d+)?$/.test(raw)) {
      this.problems.push(`${name}: expected a number of seconds, got "${raw}"`);
      return fallback * 1000;
    }
    const value = Number(raw);
    if (value < min || value > max) {
      this.problems.push(`${name}: must be between ${min} and ${max} seconds, got ${value}`);
      return fallback * 1000;
    }
    return Math.round(value * 1000);
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.text(name)?.toLowerCase();
    if (raw === undefined) {
      return fallback;
    }
    if (['true', '1', 'yes'].includes(raw)) {
      return true;
    }
    if (['false', '0', 'no'].includes(raw)) {
      return false;
    }
    this.problems.push(`${name}: expected true or false, got "${raw}"`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.text(name);
    if (raw === undefined) {
      return fallback;
    }
    const match = allowed.find((option) => option === raw.toLowerCase());
    if (match === undefined) {
      this.problems.push(`${name}: must be one of ${allowed.join(', ')}, got "${raw}"`);
      return fallback;
    }
    return match;
  }

  url(name: string, protocols: readonly string[]): string | undefined {
    const raw = this.text(name);
    if (raw === undefined) {
      return undefined;
    }
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) {
        this.problems.push(`${name}: must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
      }
      return raw;
    } catch {
      this.problems.push(`${name}: not a valid URL`);
      return undefined;
    }
  }

  list(name: string): string[] {
    return (this.text(name) ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }

  secret(name: string): string | undefined {
    const value = this.text(name);
    if (value !== undefined && value.length < MIN_KEY_LENGTH) {
      this.problems.push(`${name}: must be at least ${MIN_KEY_LENGTH} characters long`);
    }
    return value;
  }

  cidrs(name: string): string[] {
    const cidrs = this.list(name);
    for (const cidr of cidrs) {
      const [address = '', prefix] = cidr.split('/');
      const family = isIP(address);
      const bits = prefix === undefined ? (family === 6 ? 128 : 32) : Number(prefix);
      if (family === 0 || !Number.isInteger(bits) || bits < 0 || bits > (family === 6 ? 128 : 32)) {
        this.problems.push(`${name}: "${cidr}" is not an IP address or CIDR range`);
      }
    }
    return cidrs;
  }

  path(name: string): string | undefined {
    return this.text(name);
  }

  /** A number between `min` and `max`, decimals allowed. */
  ratio(name: string, fallback: number, min: number, max: number): number {
    const raw = this.text(name);
    if (raw === undefined) {
      return fallback;
    }
    const value = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
    if (!(value >= min && value <= max)) {
      this.problems.push(`${name}: expected a number between ${min} and ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  }

  /** The W3C Baggage-like `key=value,key=value` lists of the OTEL_* variables; values are percent-decoded. */
  pairs(name: string): Record<string, string> {
    const pairs: Record<string, string> = {};
    for (const item of this.list(name)) {
      const separator = item.indexOf('=');
      const key = item.slice(0, separator).trim();
      let value: string | undefined;
      try {
        value = separator > 0 ? decodeURIComponent(item.slice(separator + 1).trim()) : undefined;
      } catch {
        value = undefined;
      }
      if (key === '' || value === undefined) {
        this.problems.push(`${name}: expected key=value pairs separated by commas`);
        return {};
      }
      pairs[key] = value;
    }
    return pairs;
  }
}
