import { z } from 'zod';

/** Semantic version (semver 2.0.0). */
export const SEMVER_PATTERN =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** Stable name of a workflow: lower case, digits, `.`, `_`, `-`. */
export const WorkflowName = z
  .string()
  .max(200)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'must match ^[a-z0-9][a-z0-9._-]*$')
  .describe('Stable workflow name, ^[a-z0-9][a-z0-9._-]*$; never changes across versions');
export type WorkflowName = z.infer<typeof WorkflowName>;

/** Semver version of a workflow definition. */
export const WorkflowVersion = z.string().regex(SEMVER_PATTERN, 'must be a semantic version such as 1.2.0').describe('Semantic version, e.g. 1.2.0');
export type WorkflowVersion = z.infer<typeof WorkflowVersion>;

/** Step id: unique across the whole definition. */
export const StepId = z
  .string()
  .max(100)
  .regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, 'must start with a letter and contain only letters, digits, ".", "_" or "-"')
  .describe('Step id, unique across the whole definition');
export type StepId = z.infer<typeof StepId>;

/** Name of a registered action, e.g. `core.echo`. */
export const ActionName = z
  .string()
  .max(200)
  .regex(/^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/, 'must look like "namespace.name" in lower case')
  .describe('Registered action name, e.g. "http.request"');
export type ActionName = z.infer<typeof ActionName>;

/** Integer version of a registered action (`core.echo@1` is version 1). */
export const ActionVersion = z.number().int().min(1).describe('Integer action version, e.g. 1 for core.echo@1');
export type ActionVersion = z.infer<typeof ActionVersion>;

/** Name of an event, as sent to `POST /v1/events`. */
export const EventName = z.string().min(1).max(200).describe('Event name, e.g. INVOICE_PAID');
export type EventName = z.infer<typeof EventName>;

/** A write target: a dotted path under `vars.` (checked at publish time). */
export const VarPath = z.string().min(1).describe('Write target under vars., e.g. "vars.invoice.status"');
export type VarPath = z.infer<typeof VarPath>;

/** A positive duration in milliseconds. */
export const DurationMs = z.number().int().min(1).describe('Duration in milliseconds');
export type DurationMs = z.infer<typeof DurationMs>;
