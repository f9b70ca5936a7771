/**
 * What travels through the queue: a {@link GradeJob} per submission (the submission's bytes, the
 * assignment's name and checksum, how to run it) and back the worker's `StudentResult`.
 *
 * @module
 */
import { cellKind, type Notebook } from "../grade/assignment";
import type { GradeTimeouts, StudentResult } from "../grade/grade-submission";

/** One submission to grade, as stored in Redis. */
export interface GradeJob {
  /** The assignment's name (`metadata.seqlab.assignment`). */
  assignment: string;
  /** `assignmentChecksum` of the instructor's source; a worker refuses any other version. */
  checksum: string;
  /** The student's name (the submission's file name without `.ipynb`). */
  student: string;
  /** The submission file's bytes, base64 (a submission need not be valid JSON or UTF-8). */
  submission: string;
  /** Overrides the source's mode when set. */
  mode?: "quick" | "full";
  timeouts: Partial<GradeTimeouts>;
  /** Kernel heap limit in MB. */
  memoryMb?: number;
}

/** What a worker reports while it holds a job it cannot grade. */
export interface RefusalProgress {
  refused: string;
}

/**
 * The job id of a submission in one run: unique per run, the same for a re-enqueue of the same
 * submission, so a job is never added twice.
 *
 * @param run The run's id.
 * @param index The submission's position in the run.
 * @returns An id BullMQ accepts (no `:`).
 */
export const jobId = (run: string, index: number): string => `${run}-${index}`;

/**
 * The result of a submission that no worker could finish: every worker that took it died.
 *
 * @param source The assignment source.
 * @param student The student.
 * @param message Why.
 * @returns A `crashed` result with every graded cell not run (manual answers pending).
 */
export function crashedResult(source: Notebook, student: string, message: string): StudentResult {
  const graded = source.cells.filter((c) => cellKind(c) === "test" || cellKind(c) === "manual");
  return {
    student,
    status: "crashed",
    score: 0,
    max: graded.reduce((a, c) => a + (c.metadata.nbgrader?.points ?? 0), 0),
    seconds: 0,
    tasks: graded.map((c) => ({
      grade_id: c.metadata.nbgrader!.grade_id,
      points: 0,
      max: c.metadata.nbgrader!.points ?? 0,
      status: cellKind(c) === "manual" ? "pending" : "not-run",
      message: cellKind(c) === "manual" ? "" : message,
    })),
    message,
    notes: [],
    notebook: null,
    studentCells: [],
  };
}
