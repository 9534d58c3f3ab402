/** Thrown for a configuration mistake a person must fix (an unknown profile); front ends show the message as is. */
export class SessionConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionConfigError';
  }
}
