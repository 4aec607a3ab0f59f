/**
 * A misconfiguration found while the app is being built (a bad route, parameter or dependency).
 * Thrown at registration, never per request; `code` is stable so tooling and tests can match it.
 */
export class TypefastError extends Error {
  /** A stable identifier such as `TF_ROUTE_PATH` or `TF_DEPENDENCY_CYCLE`. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = "TypefastError";
    this.code = code;
  }
}
