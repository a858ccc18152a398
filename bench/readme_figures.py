#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Rewrite README.md's benchmark block from the last bench/run:
bench/results/latest-N.csv (every pass of a --passes run), or latest.csv
(a run of one pass).  The tables come from report.py, which also writes
latest.md and the plots again from the same files.

Usage: bench/readme_figures.py [README]"""
import glob
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
results = os.path.join(here, "results")
readme = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "README.md")
csvs = sorted(glob.glob(os.path.join(results, "latest-[0-9]*.csv")),
              key=lambda p: int(p.rsplit("-", 1)[1].split(".")[0]))
if not csvs:
    csvs = [os.path.join(results, "latest.csv")]
sys.exit(subprocess.call([sys.executable, os.path.join(here, "report.py"), "--readme", readme, results] + csvs))
