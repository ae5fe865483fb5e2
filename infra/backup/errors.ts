/** A failure whose message is the whole story for the person at the edge: printed as one line, no stack. */
export class OperatorError extends Error {}
