"""Execute notebooks through their Jupyter kernel and export them as self-contained HTML.

Used by `seqlab run` / `seqlab export` (src/notebooks/*.ts); not meant to be called by hand.
Reads one JSON job from stdin:
  {"notebooks": [{"input": ..., "ipynb": ... | null, "html": ... | null}],
   "execute": bool, "timeout": seconds, "kernel": name-or-null,
   "plotly_js": path, "templates": dir, "allow_errors": bool}
and prints one JSON line per notebook on stdout as each finishes:
  {"input": ..., "status": "ok" | "failed", "seconds": float, "error": {...} | null}
"""
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor

PLOTLY_MIME = "application/vnd.plotly.v1+json"


def first_error(nb):
    """The first error output of an executed notebook, with its cell, or None."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return {
                    "cell": index,
                    "execution_count": cell.get("execution_count"),
                    "source": cell.source,
                    "ename": output.get("ename", ""),
                    "evalue": output.get("evalue", ""),
                    "traceback": output.get("traceback", []),
                }
    return None


class PlotlyFallback(Preprocessor):
    """Gives every Plotly output an HTML rendering that draws with the page's embedded plotly.js.

    Outputs that already carry text/html (seqlab's own bundles) are left alone.
    """

    def preprocess_cell(self, cell, resources, index):
        for output in cell.get("outputs", []):
            data = output.get("data")
            if not data or PLOTLY_MIME not in data:
                continue
            resources["uses_plotly"] = True
            if "text/html" in data:
                continue
            fig = data[PLOTLY_MIME]
            if isinstance(fig, str):
                fig = json.loads(fig)
            div = "seqlab-plot-%d-%d" % (index, id(output))
            payload = json.dumps({"data": fig.get("data", []), "layout": fig.get("layout", {}),
                                  "config": fig.get("config", {"responsive": True})})
            payload = payload.replace("</", "<\\/")
            data["text/html"] = (
                '<div id="%s" class="seqlab-plotly"></div><script>(function(){var f=%s;'
                'if(window.Plotly){Plotly.newPlot("%s",f.data,f.layout,f.config);}})();</script>'
                % (div, payload, div)
            )
        return cell, resources


def export_html(nb, job):
    """Renders `nb` with the seqlab template: no CDN scripts, plotly.js embedded once if needed."""
    exporter = HTMLExporter(template_name="seqlab", extra_template_basedirs=[job["templates"]])
    exporter.register_preprocessor(PlotlyFallback(), enabled=True)
    resources = {"uses_plotly": False}
    uses_plotly = any(
        PLOTLY_MIME in (o.get("data") or {})
        for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
    )
    if uses_plotly:
        with open(job["plotly_js"], encoding="utf-8") as f:
            resources["seqlab_plotly_js"] = f.read().replace("</script", "<\\/script")
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def run_one(spec, job):
    started = time.time()
    nb = nbformat.read(spec["input"], as_version=4)
    error = None
    status = "ok"
    if job["execute"]:
        kernel = job.get("kernel") or nb.metadata.get("kernelspec", {}).get("name") or "seqlab"
        client = NotebookClient(
            nb,
            timeout=job["timeout"],
            kernel_name=kernel,
            allow_errors=job.get("allow_errors", False),
            resources={"metadata": {"path": os.path.dirname(os.path.abspath(spec["input"]))}},
        )
        try:
            client.execute()
        except CellTimeoutError as e:
            status = "failed"
            error = {"ename": "CellTimeoutError", "evalue": str(e).splitlines()[0] if str(e) else "timeout"}
        except DeadKernelError as e:
            status = "failed"
            error = {"ename": "DeadKernelError", "evalue": str(e)}
        except CellExecutionError as e:
            status = "failed"
            error = {"ename": e.ename or "Error", "evalue": e.evalue or str(e)}
        found = first_error(nb)
        if found is not None:
            if error is None or not job.get("allow_errors", False):
                error = {**(error or {}), **{k: v for k, v in found.items() if v not in (None, "")}}
            if not job.get("allow_errors", False):
                status = "failed"
        if error is not None and "cell" not in error:
            # The failing cell is the last one that ran.
            for index, cell in enumerate(nb.cells):
                if cell.cell_type == "code" and cell.get("execution_count") is not None:
                    error["cell"] = index
                    error["source"] = cell.source
    if spec.get("ipynb"):
        os.makedirs(os.path.dirname(spec["ipynb"]), exist_ok=True)
        nbformat.write(nb, spec["ipynb"])
    if spec.get("html"):
        os.makedirs(os.path.dirname(spec["html"]), exist_ok=True)
        with open(spec["html"], "w", encoding="utf-8") as f:
            f.write(export_html(nb, job))
    return {"input": spec["input"], "status": status, "seconds": round(time.time() - started, 2), "error": error}


def main():
    job = json.load(sys.stdin)
    for spec in job["notebooks"]:
        try:
            result = run_one(spec, job)
        except Exception as e:  # a broken file must not stop the others
            result = {"input": spec["input"], "status": "failed", "seconds": 0,
                      "error": {"ename": type(e).__name__, "evalue": str(e)}}
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
