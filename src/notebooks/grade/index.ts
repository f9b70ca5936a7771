/**
 * Grading assignments: the API `seqlab grade` / `seqlab feedback` use, and what a job queue
 * worker needs to grade exactly as a local run does.
 *
 * - {@link readSource} + {@link assignmentChecksum}: load the source; a worker compares the
 *   checksum carried by a job with its own copy's and refuses another version;
 * - {@link gradeSubmission}`({ source, submissionPath | submissionBytes, student, seed, mode,
 *   timeouts })` → `StudentResult` (plain JSON, graded notebook included): one submission in a
 *   fresh kernel; it never rejects for anything the submission does;
 * - {@link writeStudentOutputs}`(results, assignment, out)` and
 *   {@link writeGradebook}`(gradebook(assignment, results), out)`: the instructor's side;
 * - {@link gradeClass}: the local run (`--jobs N` at a time, progress);
 *   {@link regenerateFeedback}: after manual grades are filled in.
 *
 * @module
 */
export * from "./assignment";
export * from "./prepare";
export * from "./task-names";
export * from "./grade-submission";
export * from "./outputs";
export { findSubmissions, gradeClass, readSource, regenerateFeedback, type GradeClassOptions, type GradeProgress } from "./grade-class";
