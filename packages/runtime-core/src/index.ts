// The public API is assembled from two barrels so that the language (interpreter,
// validation, actions, conformance) and the runtime services evolve independently.
export * from './exports-language.js';
export * from './exports-runtime.js';
