/**
 * The errors of the `seqlab` command, in the manner of kernel-helpers' error family: each
 * names the problem and the fix and ends with what was received.
 *
 * `src/` cannot import kernel-helpers' classes: `seqlab setup` runs before kernel-helpers and
 * its native TensorFlow binding are built. The command prints the message of these errors
 * alone (they are expected); any other error is a bug and is printed with its stack.
 *
 * @module
 */

/** What the user typed is wrong (unknown flag, bad option value); printed with the usage. */
export class UsageError extends Error {
  /** @param message What is wrong and what to type instead, ending with "Received: ...". */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * A file or notebook the user gave cannot be used (missing, not a notebook, a malformed
 * assignment source, a graded notebook with an impossible grade); printed as its message alone.
 *
 * @example
 * ```ts
 * throw new InputError("missing.ipynb: no such notebook. Received: missing.ipynb");
 * ```
 */
export class InputError extends Error {
  /** @param message Which file, what is wrong with it and how to fix it. */
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}
