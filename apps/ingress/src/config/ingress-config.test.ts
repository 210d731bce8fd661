import { describe, expect, it } from 'vitest';
import { IngressConfigError, loadIngressConfig } from './ingress-config.js';

const base = { DATABASE_URL: 'postgres://u@127.0.0.1:5432/baton', BATON_API_KEYS: 'acme:key-acme-123' };

describe('loadIngressConfig', () => {
  it('applies the SPEC-api defaults', () => {
    const config = loadIngressConfig(base);
    expect(config.http).toEqual({ host: '127.0.0.1', port: 7300, bodyLimit: 2 * 1024 * 1024 });
    expect(config.defaultEngine).toBe('db');
    expect(config.maxJsonDepth).toBe(64);
    expect(loadIngressConfig({ ...base, BATON_INGRESS_MAX_JSON_DEPTH: '128' }).maxJsonDepth).toBe(128);
    expect(config.temporal).toBeUndefined();
    expect(config.stream).toBeUndefined();
    expect(config.correlation.rules).toEqual({});
    expect(config.apiKeys.tenantOf('key-acme-123')).toBe('acme');
    expect(config.inboxRetentionMs).toBe(7 * 24 * 3_600_000);
  });

  it('reads BATON_EVENT_INBOX_RETENTION as a duration and names it when it is not one', () => {
    expect(loadIngressConfig({ ...base, BATON_EVENT_INBOX_RETENTION: '36h' }).inboxRetentionMs).toBe(36 * 3_600_000);
    expect(loadIngressConfig({ ...base, BATON_EVENT_INBOX_RETENTION: '90m' }).inboxRetentionMs).toBe(90 * 60_000);
    for (const bad of ['7', 'a week', '0d', '-1h']) {
      expect(() => loadIngressConfig({ ...base, BATON_EVENT_INBOX_RETENTION: bad })).toThrow(/BATON_EVENT_INBOX_RETENTION: expected a positive duration/);
    }
  });

  it('reads BATON_EVENT_BATCH_LINGER_MS (default 3 ms, 0 turns the wait off) and names it when it is not a whole number of ms', () => {
    expect(loadIngressConfig(base).eventBatchLingerMs).toBe(3);
    expect(loadIngressConfig({ ...base, BATON_EVENT_BATCH_LINGER_MS: '0' }).eventBatchLingerMs).toBe(0);
    expect(loadIngressConfig({ ...base, BATON_EVENT_BATCH_LINGER_MS: '10' }).eventBatchLingerMs).toBe(10);
    for (const bad of ['-1', '1.5', 'soon', '5000']) {
      expect(() => loadIngressConfig({ ...base, BATON_EVENT_BATCH_LINGER_MS: bad })).toThrow(/BATON_EVENT_BATCH_LINGER_MS: expected a whole number of milliseconds from 0 to 1000/);
    }
  });

  it('turns the stream consumer and the Temporal engine on when their addresses are set', () => {
    const config = loadIngressConfig({
      ...base,
      REDIS_URL: 'redis://127.0.0.1:6379',
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      BATON_TASK_QUEUE: 'q1',
      BATON_EVENT_STREAM: 'events',
      BATON_EVENT_STREAM_MAX_ATTEMPTS: '3',
      BATON_EVENT_CORRELATION_PATHS: '{"PAID": "invoice.id", "*": ["orderId", "id"]}',
    });
    expect(config.temporal).toEqual({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'q1' });
    expect(config.stream).toMatchObject({ stream: 'events', group: 'baton-ingress', deadLetterStream: 'events:dead', maxAttempts: 3, reclaimIdleMs: 30_000 });
    expect(Object.keys(config.correlation.rules).sort()).toEqual(['*', 'PAID']);
  });

  it('reports every bad variable by name at once', () => {
    let error: unknown;
    try {
      loadIngressConfig({
        DATABASE_URL: 'mysql://x',
        BATON_API_KEYS: '',
        BATON_INGRESS_PORT: '99999',
        BATON_DEFAULT_ENGINE: 'mongo',
        TEMPORAL_ADDRESS: 'no-port',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(IngressConfigError);
    const variables = (error as IngressConfigError).issues.map((i) => i.variable).sort();
    expect(variables).toEqual(['BATON_API_KEYS', 'BATON_DEFAULT_ENGINE', 'BATON_INGRESS_PORT', 'DATABASE_URL', 'TEMPORAL_ADDRESS']);
    expect((error as Error).message).toMatch(/BATON_INGRESS_PORT: /);
  });

  it('rejects malformed API keys and correlation paths, naming the variable', () => {
    expect(() => loadIngressConfig({ ...base, BATON_API_KEYS: 'nocolon' })).toThrow(/BATON_API_KEYS: pair 1/);
    expect(() => loadIngressConfig({ ...base, BATON_EVENT_CORRELATION_PATHS: '{"PAID": ""}' })).toThrow(/BATON_EVENT_CORRELATION_PATHS: /);
    expect(() => loadIngressConfig({ ...base, BATON_EVENT_CORRELATION_PATHS: '{nope' })).toThrow(/BATON_EVENT_CORRELATION_PATHS: correlation config is not valid JSON/);
  });
});
