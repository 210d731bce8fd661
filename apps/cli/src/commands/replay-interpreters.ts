// `baton replay --interpreter`: kept apart from the command so the program can list the choices
// without loading the replay worker.

/** The bundle of one interpreter placement for every history, or `auto`: each history's own (`interpreterOfHistory`). */
export const REPLAY_INTERPRETERS = ['auto', 'workflow', 'localActivity'] as const;
export type ReplayInterpreter = (typeof REPLAY_INTERPRETERS)[number];
