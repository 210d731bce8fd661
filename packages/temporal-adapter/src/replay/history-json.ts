// Converts histories between Temporal's JSON history format (what `temporal workflow show
// --output json` prints) and the SDK's History object. The SDK's own helpers load the protojson
// extension of whichever protobufjs copy sits next to @temporalio/common, which is not always
// the copy the History type was built with (npm nests one per package when the root holds
// another major version); the extension then refuses the type. Here the extension is loaded
// from @temporalio/proto's own protobufjs, so type and extension always match.
import { createRequire } from 'node:module';
import proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root.js';

/** A decoded history, as `WorkflowHandle.fetchHistory()` returns it. */
export type History = proto.temporal.api.history.v1.IHistory;

interface ProtoJson {
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
  toJson(type: unknown, message: unknown): unknown;
}

interface LookupRoot {
  lookupType(name: string): unknown;
}

const requireFromProto = createRequire(createRequire(import.meta.url).resolve('@temporalio/proto'));
const protojson = requireFromProto('protobufjs/ext/protojson') as ProtoJson;
const historyType = (patchProtobufRoot(proto) as unknown as LookupRoot).lookupType('temporal.api.history.v1.History');

/** Thrown for a file that is not a Temporal JSON history. */
export class HistoryFormatError extends Error {
  override readonly name = 'HistoryFormatError';
  readonly code = 'INVALID_HISTORY';
}

/** Older tools print enum values in PascalCase (`WorkflowExecutionStarted`); protobuf JSON wants `EVENT_TYPE_WORKFLOW_EXECUTION_STARTED`. */
function constantCase(prefix: string, value: unknown): unknown {
  if (typeof value !== 'string' || value.startsWith(prefix)) return value;
  return `${prefix}_${value.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

/** Enum fields that appear inside event attributes, by field name. */
const ATTRIBUTE_ENUMS: Readonly<Record<string, string>> = {
  parentClosePolicy: 'PARENT_CLOSE_POLICY',
  workflowIdReusePolicy: 'WORKFLOW_ID_REUSE_POLICY',
  initiator: 'CONTINUE_AS_NEW_INITIATOR',
  retryState: 'RETRY_STATE',
};

function normalizeEvent(event: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...event, eventType: constantCase('EVENT_TYPE', event['eventType']) };
  for (const [key, value] of Object.entries(event)) {
    if (!key.endsWith('EventAttributes') || typeof value !== 'object' || value === null) continue;
    const attributes: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const [field, prefix] of Object.entries(ATTRIBUTE_ENUMS)) {
      if (field in attributes) attributes[field] = constantCase(prefix, attributes[field]);
    }
    const taskQueue = attributes['taskQueue'];
    if (taskQueue && typeof taskQueue === 'object') {
      attributes['taskQueue'] = { ...taskQueue, kind: constantCase('TASK_QUEUE_KIND', (taskQueue as Record<string, unknown>)['kind']) };
    }
    out[key] = attributes;
  }
  return out;
}

/** Parses a Temporal JSON history (the parsed JSON value); tolerates fields newer servers add. */
export function historyFromJson(json: unknown): History {
  const events = (json as { events?: unknown } | null)?.events;
  if (!Array.isArray(events) || events.length === 0) throw new HistoryFormatError('not a Temporal history: expected {"events": [...]} with at least one event');
  const normalized = { events: events.map((event) => normalizeEvent(event as Record<string, unknown>)) };
  try {
    return protojson.fromJson(historyType, normalized, { ignoreUnknownFields: true }) as History;
  } catch (error) {
    throw new HistoryFormatError(`not a Temporal history: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Formats a history as Temporal's JSON history format (a JSON value, ready for `JSON.stringify`). */
export function historyToJson(history: History): unknown {
  const message = proto.temporal.api.history.v1.History.fromObject(history);
  return protojson.toJson(historyType, message);
}
