"""Opens a report download as a spreadsheet program would and prints its
rows as JSON: an XLSX with openpyxl (numbers stay numbers), a CSV with
Python's csv module (after the byte-order mark)."""
import csv
import json
import sys

import openpyxl

path = sys.argv[1]
if path.endswith(".xlsx"):
    book = openpyxl.load_workbook(path, read_only=True)
    sheet = book.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    print(json.dumps({"sheet": sheet.title, "rows": rows}))
else:
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    print(json.dumps({"rows": rows}))
