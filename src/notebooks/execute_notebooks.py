"""Execute notebooks through their Jupyter kernel and export them as self-contained HTML.

Used by `seqlab run` / `seqlab export` (src/notebooks/*.ts); not meant to be called by hand.
Reads one JSON job from stdin:
  {"notebooks": [{"input": ..., "ipynb": ... | null, "html": ... | null}],
   "execute": bool, "timeout": seconds, "kernel": name-or-null,
   "plotly_js": path, "templates": dir, "allow_errors": bool,
   "vega_js": {"vega": path, "vega-lite": path, "vega-embed": path} (optional; default: node_modules),
   "mathjax_js": path (optional; default: node_modules/mathjax/es5/tex-svg.js),
   "trusted": bool (optional, default false: the notebook's HTML is sanitized, see export_safety.py)}
and prints one JSON line per notebook on stdout as each finishes:
  {"input": ..., "status": "ok" | "failed", "seconds": float, "error": {...} | null}
"""
import json
import os
import re
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor

from export_text import ShortenLongText, ansi2html_linear
from export_safety import PLOTLY_MIME, VEGA_MIMES, SafeExport, clean_html, new_token, plotly_html, vega_html

# vega-embed needs vega and vega-lite loaded first, in this order.
VEGA_SCRIPTS = [("vega", "build/vega.min.js"), ("vega-lite", "build/vega-lite.min.js"),
                ("vega-embed", "build/vega-embed.min.js")]


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

    Outputs that already carry text/html (seqlab's own bundles) are left alone (trusted exports
    only: an untrusted export rebuilds every plot's HTML, see export_safety.SafeExport).
    """

    def preprocess_cell(self, cell, resources, index):
        for n, output in enumerate(cell.get("outputs", [])):
            data = output.get("data")
            if not data or PLOTLY_MIME not in data:
                continue
            resources["uses_plotly"] = True
            if "text/html" not in data:
                data["text/html"] = plotly_html(data[PLOTLY_MIME], "seqlab-plot-%d-%d" % (index, n), data.get("image/svg+xml"))
        return cell, resources


class VegaFallback(Preprocessor):
    """Gives every Vega / Vega-Lite output an HTML rendering drawn by the page's embedded vega-embed.

    Outputs that already carry text/html are left alone (trusted exports only). Without
    vega-embed on the page (another exporter), the HTML shows a short note instead of an empty box.
    """

    def preprocess_cell(self, cell, resources, index):
        for n, output in enumerate(cell.get("outputs", [])):
            data = output.get("data")
            if not data:
                continue
            mime = next((m for m in VEGA_MIMES if m in data), None)
            if mime is None:
                continue
            resources["uses_vega"] = True
            if "text/html" not in data:
                data["text/html"] = vega_html(data[mime], VEGA_MIMES[mime], "seqlab-vega-%d-%d" % (index, n))
        return cell, resources


def output_mimes(nb):
    """Every MIME type among the notebook's outputs."""
    found = set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            found.update((output.get("data") or {}).keys())
    return found


def vega_scripts(job):
    """The vega, vega-lite and vega-embed builds (from node_modules next to the project), as one string."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(job["templates"]))))
    parts = []
    for package, rel in VEGA_SCRIPTS:
        path = (job.get("vega_js") or {}).get(package) or os.path.join(root, "node_modules", package, rel)
        with open(path, encoding="utf-8") as f:
            parts.append(f.read().replace("</script", "<\\/script"))
    return parts


MATH = re.compile(r"\$\$|\$[^$\n]+\$|\\\(|\\\[|\\begin\{")


def uses_math(nb):
    """Whether a markdown cell holds TeX math ($...$, $$...$$, \\(...\\), \\[...\\], \\begin{...})."""
    return any(c.cell_type == "markdown" and MATH.search(c.source) for c in nb.cells)


def mathjax_script(job):
    """MathJax 3 (TeX in, SVG out: no font files to fetch), from node_modules next to the project."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(job["templates"]))))
    path = job.get("mathjax_js") or os.path.join(root, "node_modules", "mathjax", "es5", "tex-svg.js")
    with open(path, encoding="utf-8") as f:
        return f.read().replace("</script", "<\\/script")


def export_html(nb, job):
    """Renders `nb` with the seqlab template: no CDN scripts, plotly.js embedded once if needed.

    Unless `job["trusted"]`, the notebook's own HTML and script are made safe first (see
    export_safety): what a notebook carries never runs when the file is opened.
    """
    trusted = bool(job.get("trusted", False))
    exporter = HTMLExporter(template_name="seqlab", extra_template_basedirs=[job["templates"]],
                            sanitize_html=not trusted, skip_svg_encoding=False)
    exporter.register_filter("clean_html", clean_html)
    exporter.register_filter("ansi2html", ansi2html_linear)
    resources = {"uses_plotly": False, "uses_vega": False, "seqlab_trusted": trusted, "seqlab_token": new_token()}
    exporter.register_preprocessor(ShortenLongText(), enabled=True)
    if not trusted:
        exporter.register_preprocessor(SafeExport(), enabled=True)
    exporter.register_preprocessor(PlotlyFallback(), enabled=True)
    exporter.register_preprocessor(VegaFallback(), enabled=True)
    mimes = output_mimes(nb)
    if PLOTLY_MIME in mimes:
        with open(job["plotly_js"], encoding="utf-8") as f:
            resources["seqlab_plotly_js"] = f.read().replace("</script", "<\\/script")
    if any(m in mimes for m in VEGA_MIMES):
        resources["seqlab_vega_js"] = vega_scripts(job)
    if uses_math(nb):
        resources["seqlab_mathjax_js"] = mathjax_script(job)
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
