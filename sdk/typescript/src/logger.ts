/**
 * Where the client reports what it recovered from or gave up on: a token source that failed, a server that fell
 * silent, a message that did not decode, an application callback that threw. A message never carries a presence
 * state. The default, {@link consoleLogger}, writes to the console; pass your own in `ClientOptions.logger` to route
 * these lines into the application's logging, or to silence them.
 */
export interface Logger {
  /** Something went wrong and the client goes on. */
  warn(message: string, cause?: unknown): void;
  /** Application code the client called failed. */
  error(message: string, cause?: unknown): void;
}

/** Writes to `console.warn` and `console.error`. */
export const consoleLogger: Logger = {
  warn: (message, cause) => (cause === undefined ? console.warn(message) : console.warn(message, cause)),
  error: (message, cause) => (cause === undefined ? console.error(message) : console.error(message, cause)),
};
