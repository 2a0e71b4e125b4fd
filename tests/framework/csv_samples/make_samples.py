"""Writes the sample points files in this folder with the real tools (run with pandas and numpy installed).

    python3 -m venv /tmp/pdvenv && /tmp/pdvenv/bin/pip install pandas numpy
    /tmp/pdvenv/bin/python tests/framework/csv_samples/make_samples.py

Every file holds the same four points `X` below, with the binary `LABELS`, the 4-class `CLASSES` or the regression
`TARGETS` (also in tests/framework/test_csv_samples.py); the `*_nan` files have a NaN target in their second row.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
X = [[0.5, 0.25], [-1.25, 2.5], [3.0, -0.75], [0.1, 0.2]]
LABELS = [1, 0, 1, 0]
CLASSES = [2, 0, 3, 1]
TARGETS = [0.1, -0.75, 1 / 3, -1e-05]


def frame(names: tuple[str, str, str] = ("x1", "x2", "label"), labels: object = LABELS) -> pd.DataFrame:
    """The four points as a DataFrame with columns ``names``."""
    x = np.array(X)
    return pd.DataFrame({names[0]: x[:, 0], names[1]: x[:, 1], names[2]: labels})


def main() -> None:
    """Write every sample."""
    frame().to_csv(HERE / "pandas_default.csv")
    frame().to_csv(HERE / "pandas_no_index.csv", index=False)
    frame(("a", "b", "c")).to_csv(HERE / "pandas_semicolon.csv", sep=";", index=False)
    frame(("x", "y", "label")).to_csv(HERE / "pandas_tab.csv", sep="\t", index=False)
    frame(labels=[bool(v) for v in LABELS]).to_csv(HERE / "pandas_bool_labels.csv")
    frame(labels=[float(v) for v in LABELS]).to_csv(HERE / "pandas_float_labels.csv", index=False)
    frame().to_csv(HERE / "pandas_decimal_comma.csv", sep=";", decimal=",", index=False)
    frame().to_csv(HERE / "pandas_quote_all.csv", quoting=csv.QUOTE_ALL, index=False)
    data = np.column_stack([np.array(X), LABELS])
    np.savetxt(HERE / "numpy_savetxt.csv", data, delimiter=",")
    np.savetxt(HERE / "numpy_savetxt_spaces.csv", data)  # numpy's default delimiter: one space
    np.savetxt(HERE / "numpy_savetxt_header.csv", data, delimiter=",", header="x1,x2,label")
    with open(HERE / "excel_csv_utf8.csv", "w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file, dialect="excel")
        writer.writerow(["X1", "X2", "Label"])
        writer.writerows([*point, label] for point, label in zip(X, LABELS, strict=True))
    write_classes()
    write_targets()


def write_classes() -> None:
    """The four points in four classes, as pandas (int and float columns) and numpy write them."""
    frame(labels=CLASSES).to_csv(HERE / "classes_pandas_int.csv", index=False)
    frame(labels=[float(v) for v in CLASSES]).to_csv(HERE / "classes_pandas_float.csv")
    np.savetxt(HERE / "classes_numpy_savetxt.csv", np.column_stack([np.array(X), CLASSES]), delimiter=",")


def write_targets() -> None:
    """The four points with regression targets, as pandas and numpy write them; and with a NaN target."""
    names = ("x1", "x2", "target")
    frame(names, TARGETS).to_csv(HERE / "targets_pandas.csv", index=False)
    frame(names, TARGETS).to_csv(HERE / "targets_pandas_decimal_comma.csv", sep=";", decimal=",", index=False)
    data = np.column_stack([np.array(X), TARGETS])
    np.savetxt(HERE / "targets_numpy_savetxt.csv", data, delimiter=",", header="x1,x2,target")
    with_nan = [TARGETS[0], float("nan"), *TARGETS[2:]]
    frame(names, with_nan).to_csv(HERE / "targets_pandas_nan.csv", index=False)
    np.savetxt(HERE / "targets_numpy_nan.csv", np.column_stack([np.array(X), with_nan]), delimiter=",")


if __name__ == "__main__":
    main()
