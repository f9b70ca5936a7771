/**
 * Grading a class on many machines: `seqlab grade … --queue redis://host:port` puts one BullMQ
 * job per submission on Redis ({@link gradeOnQueue}); `seqlab worker` ({@link startWorker}) on
 * any number of machines grades them with the same `gradeSubmission` a local run uses.
 *
 * @module
 */
export { parseQueueUrl, QUEUE_NAME } from "./connection";
export { crashedResult, jobId, type GradeJob, type RefusalProgress } from "./job";
export { loadSources, refusal, startWorker, type RunningWorker, type WorkerOptions } from "./worker";
export { gradeOnQueue, type QueueGradeOptions, type QueueProgress, type QueueRunResult } from "./instructor";
export { gradeQueued, installKernelCommand, QUEUE_USAGE, workerCommand, type QueuedGradeArgs } from "./commands";
