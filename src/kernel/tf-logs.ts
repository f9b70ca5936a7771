/**
 * Silences TensorFlow's native log lines (`I0000 ... cpu_feature_guard.cc`, oneDNN notices,
 * absl's "WARNING: All log messages before absl::InitializeLog() ...") that the C library
 * writes to stderr when tfjs-node loads in a notebook.
 *
 * Set `SEQLAB_TF_LOGS=1` in the environment that starts JupyterLab to see them again.
 * Explicit `TF_CPP_MIN_LOG_LEVEL` / `TF_ENABLE_ONEDNN_OPTS` values are never overridden.
 *
 * @module
 */

/** The environment variable that turns TensorFlow's native logs back on. */
export const TF_LOGS_ENV = "SEQLAB_TF_LOGS";

/**
 * Sets TensorFlow's log environment variables in `env` (before tfjs-node is loaded).
 *
 * @param env The process environment.
 * @returns Whether the logs are silenced.
 * @example
 * ```ts
 * silenceTensorFlowLogs(process.env); // true unless SEQLAB_TF_LOGS=1
 * ```
 */
export function silenceTensorFlowLogs(env: NodeJS.ProcessEnv): boolean {
  if (env[TF_LOGS_ENV] === "1") return false;
  // 3 = errors only are hidden too, except fatal ones; absl honours the same variable.
  env.TF_CPP_MIN_LOG_LEVEL ??= "3";
  env.TF_CPP_MIN_VLOG_LEVEL ??= "0";
  return true;
}
