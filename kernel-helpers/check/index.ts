/**
 * Checks for assignment test cells: each one passes quietly or throws a {@link CheckError}
 * whose message reads like a teacher's comment ("xTrain has shape [2000, 199]; expected
 * [2000, 200] (MAXLEN)"). `checkTask` groups a task's checks, shows pass/fail with the
 * message and the points so far, and re-throws a failure so the grader scores the cell 0.
 *
 * ```ts
 * await checkTask("task1-data", 2, () => {
 *   checkShape(xTrain, [TRAIN_SIZE, MAXLEN], "xTrain", "(TRAIN_SIZE, MAXLEN)");
 * });
 * ```
 *
 * @module
 */
export * from "./check-error";
export * from "./values";
export * from "./learning";
export * from "./task";
