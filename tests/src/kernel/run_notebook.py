"""Executes a notebook on the seqlab kernel with nbclient (allow_errors) and prints its
code cells' outputs as JSON. Usage: python run_notebook.py <notebook>"""
import json
import os
import sys

import nbformat
from nbclient import NotebookClient

path = sys.argv[1]
nb = nbformat.read(path, as_version=4)
NotebookClient(nb, kernel_name="seqlab", allow_errors=True, timeout=120,
               resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}}).execute()
print(json.dumps([{"execution_count": c.get("execution_count"), "outputs": c.get("outputs", [])}
                  for c in nb.cells if c.cell_type == "code"]))
