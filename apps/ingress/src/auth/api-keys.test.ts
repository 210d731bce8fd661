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

  it('keeps colons inside a key', () => {
    expect(parseApiKeys('acme:abc:def:ghi').tenantOf('abc:def:ghi')).toBe('acme');
  });

  it('names the bad pair without echoing any key', () => {
    expect(() => parseApiKeys('good:long-enough-key,nocolon')).toThrow(/pair 2: expected "tenant:key"/);
    expect(() => parseApiKeys('acme:short')).toThrow(/pair 1 \(tenant "acme"\): the key must be at least 8 characters/);
    expect(() => parseApiKeys('a:same-key-123,b:same-key-123')).toThrow(/same key is configured for tenant "a"/);
    expect(() => parseApiKeys(' , ')).toThrow(/no tenant:key pair/);
    try {
      parseApiKeys('acme:short');
    } catch (err) {
      expect((err as Error).message).not.toContain('short');
    }
  });
});
