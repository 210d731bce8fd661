import { describe, expect, it } from 'vitest';
import { parseApiKeys } from './api-keys.js';

describe('parseApiKeys', () => {
  it('maps each key to its tenant and nothing else', () => {
    const keys = parseApiKeys(' tenant-a:key-a-123456 , tenant-b:key-b-123456,tenant-a:second-key-a ');
    expect(keys.tenantOf('key-a-123456')).toBe('tenant-a');
    expect(keys.tenantOf('second-key-a')).toBe('tenant-a');
    expect(keys.tenantOf('key-b-123456')).toBe('tenant-b');
    expect(keys.tenantOf('key-a-12345')).toBeUndefined();
    expect(keys.tenantOf('')).toBeUndefined();
    expect([...keys.tenants].sort()).toEqual(['tenant-a', 'tenant-b']);
  });

  it('accepts the example of SPEC-api as it stands', () => {
    const keys = parseApiKeys('tenant-a:key-a,tenant-b:key-b');
    expect(keys.tenantOf('key-a')).toBe('tenant-a');
    expect(keys.tenantOf('key-b')).toBe('tenant-b');
  });

  it('keeps colons inside a key', () => {
    expect(parseApiKeys('acme:abc:def:ghi').tenantOf('abc:def:ghi')).toBe('acme');
  });

  it('names the bad pair without echoing any key', () => {
    expect(() => parseApiKeys('good:long-enough-key,nocolon')).toThrow(/pair 2: expected "tenant:key"/);
    expect(() => parseApiKeys('acme:')).toThrow(/pair 1 \(tenant "acme"\): the key is empty/);
    expect(() => parseApiKeys('a:same-key-123,b:same-key-123')).toThrow(/same key is configured for tenant "a"/);
    expect(() => parseApiKeys(' , ')).toThrow(/no tenant:key pair/);
    const thrown = (() => {
      try {
        parseApiKeys('acme:secret-key,beta:secret-key');
      } catch (err) {
        return err as Error;
      }
      return undefined;
    })();
    expect(thrown?.message).toMatch(/same key is configured/);
    expect(thrown?.message).not.toContain('secret-key');
  });
});
