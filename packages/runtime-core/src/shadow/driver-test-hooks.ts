import type { ActionResult } from '../actions/execute-action.js';
import type { RunActionCommand } from '../interpreter/protocol.js';
import type { ShadowLink } from './shadow-link.js';

/**
 * Test-only: makes one driver behave differently from the other, so a test can prove that the shadow
 * comparison reports a driver difference. Never set in production (no app reads it from configuration).
 */
export interface DriverTestHooks {
  /** Replaces the result an action attempt reports to the interpreter (after it ran, or was answered from the primary). */
  readonly actionResult?: (run: { readonly tenant: string; readonly runId: string; readonly shadow?: ShadowLink }, command: RunActionCommand, result: ActionResult) => ActionResult;
}
