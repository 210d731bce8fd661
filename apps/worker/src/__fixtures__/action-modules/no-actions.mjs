// Test action module that exports nothing usable.
export const answer = 42;
