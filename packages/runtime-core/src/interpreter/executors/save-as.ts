import type { JsonValue } from '@baton/event-schemas';
import { cloneJson } from '../clone-json.js';
import type { Tick } from '../tick.js';
import { assignVar } from '../var-path.js';

/** Stores a copy of a step output at its `saveAs` path, if any. */
export function saveOutput(tick: Tick, saveAs: string | undefined, value: JsonValue): void {
  if (saveAs !== undefined) assignVar(tick.state.vars, saveAs, cloneJson(value));
}
