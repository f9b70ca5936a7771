"""Drives the seqlab kernel over the Jupyter protocol for the mocha tests.

Starts the kernel with jupyter_client's KernelManager, then reads one JSON command per line
on stdin and answers each with one JSON line on stdout:

  {"op": "execute", "code": str, "stop_on_error": bool?, "interrupt_on": str?, "interrupt_after": float?}
      -> {"reply": content, "iopub": [{"msg_type", "content"}...]}
      Interrupts (SIGINT) once a stream output contains `interrupt_on`, or after
      `interrupt_after` seconds.
  {"op": "execute_many", "codes": [str...]}  -> {"results": [{"reply", "iopub"}...]} (all sent at once)
  {"op": "complete", "code": str, "cursor_pos": int} -> {"reply": content}
  {"op": "inspect", "code": str, "cursor_pos": int} -> {"reply": content}
  {"op": "kernel_info"} -> {"reply": content}
  {"op": "restart"} -> {"ok": true}
  {"op": "stderr"} -> {"text": what the kernel process wrote to stderr so far}
  {"op": "alive"} -> {"alive": whether the kernel process runs}
  {"op": "shutdown"} -> {"ok": true}

Usage: python kernel_driver.py <cwd> <stderr log file>
"""
import json
import sys
import time

from jupyter_client.manager import KernelManager

TIMEOUT = 120


def collect(kc, msg_id, interrupt_on=None, interrupt_after=None, km=None):
    """iopub messages of one request until its idle status; optional interrupt."""
    out = []
    start = time.time()
    interrupted = False
    while True:
        if not interrupted and interrupt_after is not None and time.time() - start > interrupt_after:
            km.interrupt_kernel()
            interrupted = True
        try:
            msg = kc.get_iopub_msg(timeout=0.2)
        except Exception:
            if km is not None and not km.is_alive():
                raise RuntimeError("the kernel process died")
            if time.time() - start > TIMEOUT:
                raise RuntimeError("timed out waiting for idle")
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        out.append({"msg_type": msg["msg_type"], "content": msg["content"]})
        if (not interrupted and interrupt_on is not None and msg["msg_type"] == "stream"
                and interrupt_on in msg["content"].get("text", "")):
            km.interrupt_kernel()
            interrupted = True
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return out


def collect_many(kc, msg_ids):
    """iopub messages of several requests, until each one's idle status."""
    out = {i: [] for i in msg_ids}
    idle = set()
    start = time.time()
    while len(idle) < len(msg_ids):
        try:
            msg = kc.get_iopub_msg(timeout=0.2)
        except Exception:
            if time.time() - start > TIMEOUT:
                raise RuntimeError("timed out waiting for idle")
            continue
        parent = msg["parent_header"].get("msg_id")
        if parent not in out:
            continue
        out[parent].append({"msg_type": msg["msg_type"], "content": msg["content"]})
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            idle.add(parent)
    return out


def shell_reply(kc, msg_id):
    while True:
        msg = kc.get_shell_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg["content"]


def main():
    cwd, stderr_path = sys.argv[1], sys.argv[2]
    stderr_file = open(stderr_path, "w")
    km = KernelManager(kernel_name="seqlab")
    # The kernel must not share this driver's stdout: Node makes its stdio pipes non-blocking,
    # which would make this driver's large writes fail part-way.
    km.start_kernel(cwd=cwd, stdout=stderr_file, stderr=stderr_file)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=TIMEOUT)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        cmd = json.loads(line)
        op = cmd["op"]
        try:
            if op == "execute":
                msg_id = kc.execute(cmd["code"], stop_on_error=cmd.get("stop_on_error", True))
                iopub = collect(kc, msg_id, cmd.get("interrupt_on"), cmd.get("interrupt_after"), km)
                result = {"reply": shell_reply(kc, msg_id), "iopub": iopub}
            elif op == "execute_many":
                ids = [kc.execute(code) for code in cmd["codes"]]
                iopub = collect_many(kc, ids)
                result = {"results": [{"iopub": iopub[i], "reply": shell_reply(kc, i)} for i in ids]}
            elif op == "complete":
                msg_id = kc.complete(cmd["code"], cmd["cursor_pos"])
                result = {"reply": shell_reply(kc, msg_id)}
            elif op == "inspect":
                msg_id = kc.inspect(cmd["code"], cmd["cursor_pos"])
                result = {"reply": shell_reply(kc, msg_id)}
            elif op == "kernel_info":
                msg_id = kc.kernel_info()
                result = {"reply": shell_reply(kc, msg_id)}
            elif op == "restart":
                km.restart_kernel(now=False)
                kc.wait_for_ready(timeout=TIMEOUT)
                result = {"ok": True}
            elif op == "alive":
                result = {"alive": km.is_alive()}
            elif op == "stderr":
                stderr_file.flush()
                with open(stderr_path) as f:
                    result = {"text": f.read()}
            elif op == "shutdown":
                kc.stop_channels()
                km.shutdown_kernel(now=False)
                print(json.dumps({"ok": True}), flush=True)
                return
            else:
                result = {"error": "unknown op " + op}
        except Exception as exc:  # reported to the test, which fails with it
            result = {"error": "%s: %s" % (type(exc).__name__, exc)}
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
