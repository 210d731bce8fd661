import type { StepRecord } from '@baton/event-schemas';
import type { DefinitionIndex } from './definition-index.js';
import type { InterpreterCommand, PendingCommand } from './protocol.js';
import type { InterpreterState } from './state.js';

/** Id by which a pending command is resolved. */
export function pendingIdOf(command: PendingCommand): string {
  switch (command.type) {
    case 'RunAction':
      return command.commandId;
    case 'StartTimer':
      return command.timerId;
    case 'AwaitEvent':
      return command.waitId;
    case 'AwaitHumanTask':
      return command.taskId;
    case 'StartChild':
      return command.childRunId;
  }
}

/** The working set of one `advance` call: the (private copy of the) state and what it emits. */
export class Tick {
  readonly commands: InterpreterCommand[] = [];
  readonly #records = new Map<string, StepRecord>();

  constructor(
    readonly index: DefinitionIndex,
    public state: InterpreterState,
    /** the input's logical time */
    readonly now: string,
  ) {}

  /** Emits a command that needs no answer. */
  emit(command: InterpreterCommand): void {
    this.commands.push(command);
  }

  /** Emits a command and keeps it outstanding until {@link close}. */
  open(command: PendingCommand): void {
    this.state.outstanding.push(command);
    this.commands.push(command);
  }

  /** True when a pending command with this id is outstanding. */
  isOpen(id: string): boolean {
    return this.state.outstanding.some((c) => pendingIdOf(c) === id);
  }

  /** Resolves the outstanding command with this id. */
  close(id: string): void {
    this.state.outstanding = this.state.outstanding.filter((c) => pendingIdOf(c) !== id);
  }

  /** Notes that a step record was created or changed (reported in `AdvanceResult.steps`). */
  touch(record: StepRecord): void {
    this.#records.set(record.key, record);
  }

  /** Step records touched by this call, ordered by (generation, seq). */
  get steps(): StepRecord[] {
    return [...this.#records.values()].sort((a, b) => a.generation - b.generation || a.seq - b.seq);
  }
}
