import { strict as assert } from "node:assert";
import { filterNativeLogLines } from "../../../src/kernel/launcher";
import { silenceTensorFlowLogs } from "../../../src/kernel/tf-logs";

describe("TensorFlow log silencing", () => {
  it("filterNativeLogLines() drops TensorFlow's info and warning lines and keeps the rest", () => {
    const text =
      "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n" +
      "I0000 00:00:1795314912.466376   23594 port.cc:153] oneDNN custom operations are on.\n" +
      "W0000 00:00:1795314912.5   23594 cpu_feature_guard.cc:227] something\n" +
      "E0000 00:00:1795314912.5   23594 kernel.cc:1] a real error\n" +
      "To enable the following instructions: AVX2 FMA, in other operations, rebuild TensorFlow with the appropriate compiler flags.\n" +
      "student output\n";
    assert.equal(filterNativeLogLines(text), "E0000 00:00:1795314912.5   23594 kernel.cc:1] a real error\nstudent output\n");
  });

  it("silenceTensorFlowLogs() sets TF_CPP_MIN_LOG_LEVEL=3 unless SEQLAB_TF_LOGS=1 or already set", () => {
    const env: NodeJS.ProcessEnv = {};
    assert.equal(silenceTensorFlowLogs(env), true);
    assert.equal(env.TF_CPP_MIN_LOG_LEVEL, "3");
    const verbose: NodeJS.ProcessEnv = { SEQLAB_TF_LOGS: "1" };
    assert.equal(silenceTensorFlowLogs(verbose), false);
    assert.equal(verbose.TF_CPP_MIN_LOG_LEVEL, undefined);
    const explicit: NodeJS.ProcessEnv = { TF_CPP_MIN_LOG_LEVEL: "0" };
    silenceTensorFlowLogs(explicit);
    assert.equal(explicit.TF_CPP_MIN_LOG_LEVEL, "0");
  });
});
