/**
 * `CheckError`: a failed check in an assignment test cell.
 *
 * @module
 */
import { SeqlabError } from "../errors";

/**
 * A check in a test cell failed. The message says what was found, what was expected and, where
 * it helps, how to fix it.
 *
 * @example
 * ```ts
 * const error = new CheckError("xTrain has shape [2000, 199]; expected [2000, 200] (MAXLEN)");
 * error.name; // "CheckError"
 * ```
 */
export class CheckError extends SeqlabError {
  /** @param message What was found and what was expected. */
  constructor(message: string) {
    super(message);
    this.name = "CheckError";
  }
}
