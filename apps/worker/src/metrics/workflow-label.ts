import { createHash, createHmac } from 'node:crypto';

/** Defaults of {@link createWorkflowLabeler}. */
export const WORKFLOW_LABEL_DEFAULTS = {
  /** distinct workflow label values a worker exports; later workflows share `other` */
  maxWorkflows: 50,
} as const;

/** The label value of the workflows beyond the bound. */
export const OTHER_WORKFLOWS = 'other';

/** Turns a tenant's workflow name into a bounded, hashed `workflow` label value. */
export interface WorkflowLabeler {
  /** `wf-<12 hex>` for one of the first `maxWorkflows` (tenant, workflow) pairs seen, else `other` */
  label(tenant: string, workflow: string): string;
  /** the digest part alone, for an operator who knows the tenant and name (no bound applied) */
  digest(tenant: string, workflow: string): string;
}

/**
 * `/metrics` needs no key, so it carries no tenant-chosen text: a workflow label is
 * `wf-` + the first 12 hex digits of SHA-256 (or HMAC-SHA256 with `key`, when set) over
 * `tenant + "\n" + workflow`, and only the first `maxWorkflows` pairs get their own value.
 */
export function createWorkflowLabeler(options: { readonly key?: string; readonly maxWorkflows?: number } = {}): WorkflowLabeler {
  const max = options.maxWorkflows ?? WORKFLOW_LABEL_DEFAULTS.maxWorkflows;
  const issued = new Set<string>();
  const digest = (tenant: string, workflow: string): string => {
    const h = options.key ? createHmac('sha256', options.key) : createHash('sha256');
    return h.update(`${tenant}\n${workflow}`, 'utf8').digest('hex').slice(0, 12);
  };
  return {
    digest,
    label(tenant, workflow) {
      const value = `wf-${digest(tenant, workflow)}`;
      if (issued.has(value)) return value;
      if (issued.size >= max) return OTHER_WORKFLOWS;
      issued.add(value);
      return value;
    },
  };
}
