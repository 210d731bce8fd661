// Which interpreter placement recorded a history. A `localActivity` worker runs every advance as a
// `batonAdvance` local activity, and every run advances (its Start) before it records anything
// else, so such a history holds `batonAdvance` local activity markers; a `workflow` worker never
// records one. A history with none replays the same on either bundle up to its end (nothing
// advanced in a local activity yet), so `workflow` is the right answer for it.
import type { InterpreterMode } from '../worker/workflow-bundle.js';
import type { History } from './history-json.js';

/** Marker name the Temporal SDK records a local activity result under. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';
/** The interpreter activity of `localActivity` mode. */
const ADVANCE_ACTIVITY = 'batonAdvance';

const decoder = new TextDecoder();

function markerActivityType(data: Uint8Array | null | undefined): string | undefined {
  if (!data) return undefined;
  try {
    const parsed = JSON.parse(decoder.decode(data)) as { activity_type?: unknown; activityType?: unknown };
    const type = parsed.activity_type ?? parsed.activityType;
    return typeof type === 'string' ? type : undefined;
  } catch {
    return undefined;
  }
}

/** The interpreter placement whose workflow bundle replays `history`: `localActivity` when it holds a `batonAdvance` marker. */
export function interpreterOfHistory(history: History): InterpreterMode {
  for (const event of history.events ?? []) {
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName !== LOCAL_ACTIVITY_MARKER) continue;
    for (const payload of marker.details?.['data']?.payloads ?? []) {
      if (markerActivityType(payload.data) === ADVANCE_ACTIVITY) return 'localActivity';
    }
  }
  return 'workflow';
}
