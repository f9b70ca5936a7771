"""Run one prepared submission for `seqlab grade`, or export a graded notebook as feedback HTML.

Used by src/notebooks/grade/*.ts; not meant to be called by hand. Reads one JSON job from stdin.

run:    {"mode": "run", "input": path, "output": path, "result": path, "kernel": name,
         "cell_timeout": s, "notebook_timeout": s, "max_output_chars": n, "cwd": dir}
        Executes every code cell in a fresh kernel (errors do not stop the run; a cell over its
        time limit is interrupted and the next one runs; the kernel dying or the notebook limit
        ends the run), caps each cell's outputs at max_output_chars, writes the executed notebook
        to `output` and {"cells": {index: {"status", "ename", "evalue"}}, "died_at", "timed_out"}
        to `result` (a file, so nothing the submission prints can forge it).
export: {"mode": "export", "items": [{"input": path, "html": path, "header": html, "student_cells": [index]}],
         "plotly_js": path, "templates": dir}
        Sanitizes every output (bleach: no script, no event handler, no javascript: URL; the
        Plotly and Vega JSON stay and are drawn by the page's own libraries), escapes the
        student's written answers, puts the score header first and exports with seqlab's
        HTML exporter (execute_notebooks.export_html).
"""
import asyncio
import json
import os
import re
import sys

import bleach
import nbformat
from bleach.css_sanitizer import CSSSanitizer
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
from execute_notebooks import export_html  # noqa: E402

PLOTLY_MIME = "application/vnd.plotly.v1+json"
SAFE_TAGS = ["a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "div", "dl",
             "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s",
             "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
             "u", "ul"]
SAFE_ATTRS = {"*": ["class", "style", "title"], "a": ["href"], "img": ["src", "alt", "width", "height"],
              "td": ["colspan", "rowspan"], "th": ["colspan", "rowspan"]}
CSS = CSSSanitizer(allowed_css_properties=["color", "background-color", "font-weight", "font-style",
                                           "text-align", "padding", "margin", "border", "border-left",
                                           "width", "height"])
SVG_DANGER = re.compile(r"<script|<foreignObject|\bon\w+\s*=|javascript:|href\s*=", re.I)


def clean_html(text):
    return bleach.clean(text, tags=SAFE_TAGS, attributes=SAFE_ATTRS, protocols=["data", "https", "http"],
                        css_sanitizer=CSS, strip=True)


def joined(value):
    return "".join(value) if isinstance(value, list) else value


def sanitize_output(output):
    """Makes one output safe to open: returns it, or None to drop it."""
    data = output.get("data")
    if data is None:
        return output
    for mime in list(data.keys()):
        if mime == "text/html":
            if PLOTLY_MIME in data:
                del data[mime]  # the exporter draws the figure from its JSON with its own plotly.js
            else:
                data[mime] = clean_html(joined(data[mime]))
        elif mime == "image/svg+xml":
            if PLOTLY_MIME in data or SVG_DANGER.search(joined(data[mime])):
                del data[mime]
        elif mime == "text/markdown":
            text = joined(data.pop(mime))
            data.setdefault("text/plain", text)
        elif mime in ("application/javascript", "text/javascript") or "widget" in mime:
            del data[mime]
    if not data:
        return None
    return output


def export(job):
    for item in job["items"]:
        export_one(item, job)


def export_one(item, job):
    nb = nbformat.read(item["input"], as_version=4)
    student = set(item.get("student_cells", []))
    for index, cell in enumerate(nb.cells):
        if index in student and cell.cell_type == "markdown":
            cell.source = bleach.clean(cell.source, tags=[], strip=False)
            cell.pop("attachments", None)
        if cell.cell_type == "code":
            cell.outputs = [o for o in (sanitize_output(o) for o in cell.get("outputs", [])) if o is not None]
    header = nbformat.v4.new_markdown_cell(item["header"])
    nb.cells.insert(0, header)
    os.makedirs(os.path.dirname(os.path.abspath(item["html"])), exist_ok=True)
    with open(item["html"], "w", encoding="utf-8") as f:
        f.write(export_html(nb, job))


class GradingClient(NotebookClient):
    """nbclient with a cap on the characters of output kept per cell."""

    max_output_chars = 200_000

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept = {}
        self.dropped = {}

    def output(self, outs, msg, display_id, cell_index):
        size = len(json.dumps(msg.get("content", {})))
        kept = self.kept.get(cell_index, 0)
        if kept + size > self.max_output_chars and msg["msg_type"] in ("stream", "display_data", "execute_result"):
            self.dropped[cell_index] = self.dropped.get(cell_index, 0) + size
            return None
        self.kept[cell_index] = kept + size
        return super().output(outs, msg, display_id, cell_index)


def run(job):
    nb = nbformat.read(job["input"], as_version=4)
    cells = {}
    state = {"current": None, "died_at": None, "timed_out": False}

    def on_execute(cell, cell_index, **_):
        state["current"] = cell_index

    def on_executed(cell, cell_index, execute_reply, **_):
        content = (execute_reply or {}).get("content", {})
        if content.get("status") == "error":
            cells[cell_index] = {"status": "timeout" if content.get("ename") == "CellTimeoutError" else "error",
                                 "ename": content.get("ename", ""), "evalue": content.get("evalue", "")}
            if content.get("ename") == "CellTimeoutError":
                cell.outputs.append(nbformat.v4.new_output("error", ename="CellTimeoutError",
                                                           evalue=content.get("evalue", ""), traceback=[]))
        else:
            cells[cell_index] = {"status": "ok", "ename": "", "evalue": ""}

    GradingClient.max_output_chars = job["max_output_chars"]
    client = GradingClient(
        nb, timeout=job["cell_timeout"], kernel_name=job["kernel"], allow_errors=True, interrupt_on_timeout=True,
        error_on_timeout={"ename": "CellTimeoutError", "evalue": "this cell ran longer than %s s and was stopped"
                          % job["cell_timeout"], "traceback": []},
        resources={"metadata": {"path": job["cwd"]}}, on_cell_execute=on_execute, on_cell_executed=on_executed,
        iopub_timeout=10, shutdown_kernel="immediate")

    async def go():
        # nbclient turns a cancelled cell into DeadKernelError, so the notebook limit is a flag
        # set before cancelling, not asyncio.wait_for's TimeoutError.
        task = asyncio.ensure_future(client.async_execute())

        def expire():
            state["timed_out"] = True
            task.cancel()

        handle = asyncio.get_running_loop().call_later(job["notebook_timeout"], expire)
        try:
            await task
        except (DeadKernelError, asyncio.CancelledError):
            if not state["timed_out"]:
                state["died_at"] = state["current"]
        finally:
            handle.cancel()

    asyncio.run(go())
    if state["died_at"] is None and not state["timed_out"] and state["current"] is not None and state["current"] not in cells:
        state["died_at"] = state["current"]
    for index, dropped in client.dropped.items():
        nb.cells[index].outputs.append(nbformat.v4.new_output(
            "stream", name="stderr", text="[seqlab grade: %d more characters of output were not kept]\n" % dropped))
    nbformat.write(nb, job["output"])
    with open(job["result"], "w", encoding="utf-8") as f:
        json.dump({"cells": cells, "died_at": state["died_at"], "timed_out": state["timed_out"],
                   "current": state["current"]}, f)


def main():
    job = json.load(sys.stdin)
    if job["mode"] == "run":
        run(job)
    else:
        export(job)


if __name__ == "__main__":
    main()
