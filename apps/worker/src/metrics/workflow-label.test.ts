import { describe, expect, it } from 'vitest';
import { createWorkflowLabeler, OTHER_WORKFLOWS } from './workflow-label.js';

describe('createWorkflowLabeler', () => {
  it('labels a workflow by a digest of tenant and name, never the name', () => {
    const labels = createWorkflowLabeler();
    const value = labels.label('acme', 'billing.invoice');
    expect(value).toMatch(/^wf-[0-9a-f]{12}$/);
    expect(value).not.toContain('billing');
    expect(labels.label('acme', 'billing.invoice')).toBe(value);
    expect(labels.label('globex', 'billing.invoice')).not.toBe(value);
  });

  it('keys the digest when a key is configured, so names cannot be confirmed by guessing', () => {
    const plain = createWorkflowLabeler().label('acme', 'billing.invoice');
    const keyed = createWorkflowLabeler({ key: 'k'.repeat(32) });
    expect(keyed.label('acme', 'billing.invoice')).not.toBe(plain);
    expect(keyed.label('acme', 'billing.invoice')).toBe(`wf-${keyed.digest('acme', 'billing.invoice')}`);
  });

  it('bounds the label values: workflows past the limit share "other"', () => {
    const labels = createWorkflowLabeler({ maxWorkflows: 3 });
    const values = Array.from({ length: 1_000 }, (_, i) => labels.label('tenant', `wf-${i}`));
    expect(new Set(values).size).toBe(4);
    expect(values.slice(3).every((v) => v === OTHER_WORKFLOWS)).toBe(true);
    expect(labels.label('tenant', 'wf-1')).toBe(values[1]);
  });
});
