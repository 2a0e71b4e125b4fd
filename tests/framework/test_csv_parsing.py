"""`parse_points` / `load_points`: the CSV dialects accepted, and every refusal naming its line."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import torch

import minidl.data.csv_io as csv_io
import minidl.data.csv_parsing as csv_parsing
from minidl.data import CSVFormatError, format_points, load_points, parse_points
from minidl.data.labels import parse_label
from minidl.problem import Problem

BINARY = Problem.classification(2)

TWO = (torch.tensor([[0.5, 0.25], [-1.0, 2.0]]), torch.tensor([[1.0], [0.0]]))


@pytest.mark.parametrize(
    "text",
    [
        "0.5,0.25,1\n-1,2,0\n",
        "x1,x2,label\r\n0.5,0.25,1\r\n-1,2,0\r\n",  # CRLF
        "\ufeffx1,x2,label\n0.5,0.25,1\n-1,2,0",  # BOM, no final line end
        "X1,X2,Label\n\n0.5,0.25,1\n\n# a comment\n-1,2,0\n\n",
        "x,y,label\n0.5,0.25,True\n-1,2,False\n",
        "a,b,c\n0.5,0.25,true\n-1,2,FALSE\n",
        "0.5,0.25,1.0\n-1,2,0.0\n",
        "0.5 , 0.25 , 1\n-1,2,0\n",
        '"0.5","0.25","1"\n"-1","2","0"\n',
        ",x1,x2,label\n0,0.5,0.25,1\n1,-1,2,0\n",  # pandas' default index column
        "x1;x2;label\n0.5;0.25;1\n-1;2;0\n",
        "x1;x2;label\n0,5;0,25;1\n-1;2;0\n",  # European Excel: decimal commas with ';'
        "x1\tx2\tlabel\n0,5\t0,25\t1\n-1\t2\t0\n",
        "x1,x2,label\n0.5,0.25,1\n,,\n-1,2,0\n",  # Excel's empty row
        "# x1,x2,label\n5.000000000000000000e-01,2.5e-01,1.000000000000000000e+00\n-1e0,2e0,0e0\n",
        "5.000000000000000000e-01 2.5e-01 1.000000000000000000e+00\n-1e0 2e0 0e0\n",  # numpy's default savetxt
        "x1 x2 label\n\n  0.5   0.25  1\r\n-1 2\t0",  # runs of spaces, aligned columns
        "# x1 x2 label\n0.5 0.25 True\n-1 2 0\n",
    ],
)
def test_accepted_dialects_give_the_same_points(
    text: str, monkeypatch: pytest.MonkeyPatch, default_dtype: torch.dtype
) -> None:
    x, y = parse_points(text)
    assert torch.equal(x, TWO[0]) and torch.equal(y, TWO[1])
    assert x.dtype == y.dtype == default_dtype
    monkeypatch.setattr(csv_parsing, "_fast_table", lambda *args: None)  # the row-by-row path agrees
    x, y = parse_points(text)
    assert torch.equal(x, TWO[0]) and torch.equal(y, TWO[1])
    assert x.dtype == y.dtype == default_dtype


def test_a_mistyped_first_row_is_refused_not_taken_for_a_header() -> None:
    with pytest.raises(CSVFormatError, match="line 1: not a number: 'O.25'"):
        parse_points("0.5,O.25,1\n-1,2,0\n")


@pytest.mark.parametrize(
    ("bad_row", "what"),
    [
        ("0.5,,1", "empty cell"),
        ("0.5,0.25,", "empty cell"),
        ("0.5,nan,1", "coordinates must be finite"),
        ("NaN,0.5,1", "coordinates must be finite"),
        ("0.5,-inf,0", "coordinates must be finite"),
        ("1e39,0.5,0", "coordinate '1e39' is too large: the limit is ±3.4e\\+38 \\(float32\\)"),
        ("0.5,-3.5e38,0", "coordinate '-3.5e38' is too large"),
        ("1_000,0.5,1", "not a number: '1_000' \\(write numbers without '_'\\)"),
        ("0.5,0.25,0_1", "not a number: '0_1' \\(write numbers without '_'\\)"),
        ("0.5,0.25,2", "label must be 0 or 1 \\(or true/false\\), got '2'"),
        ("0.5,0.25,0.5", "label must be 0 or 1"),
        ("0.5,0.25,nan", "label must be 0 or 1"),
        ("0.5,0.25,yes", "not a number: 'yes'"),
        ("0.5,0.25", "expected 3 values 'x1,x2,label' separated by ',', got 2"),
        ("0.5,0.25,1,0", "expected 3 values"),
        ("0,5,0,25,1", "expected 3 values"),  # decimal commas need ';' separators
        ('"0.5,0.25,1', 'a quote \\("\\) opens a value that is not closed'),
    ],
)
def test_a_bad_row_is_refused_with_its_line_and_text(bad_row: str, what: str) -> None:
    text = f"x1,x2,label\n0.5,0.5,1\n\n# note\n{bad_row}\n0.2,0.2,0\n"
    with pytest.raises(CSVFormatError, match=rf"^pts\.csv, line 5: {what}.*, in row {re.escape(repr(bad_row))}$"):
        parse_points(text, source="pts.csv", problem=BINARY)  # the labels a binary problem allows


def test_a_space_separated_row_with_a_missing_value_is_refused() -> None:
    with pytest.raises(CSVFormatError, match="line 3: expected 3 values 'x1,x2,label' separated by spaces, got 2"):
        parse_points("x1 x2 label\n0.5 0.25 1\n-1 2\n")


def test_a_header_with_the_wrong_number_of_columns_is_refused() -> None:
    with pytest.raises(CSVFormatError, match="line 2: the header has 2 columns; expected 3: x1, x2, label"):
        parse_points("\nx1,x2\n0.5,0.25,1\n")


def test_an_index_column_needs_four_values_on_every_row() -> None:
    with pytest.raises(CSVFormatError, match="line 3: expected 4 values 'an index, then x1, x2, label'"):
        parse_points(",x1,x2,label\n0,0.5,0.25,1\n0.5,0.25,1\n")


def test_a_decimal_comma_with_a_point_as_thousands_mark_is_not_a_number() -> None:
    with pytest.raises(CSVFormatError, match="line 2: not a number: '1.000,5'"):
        parse_points("x1;x2;label\n1.000,5;2;1\n")


def test_labels_are_checked_in_one_place() -> None:
    assert [parse_label(text) for text in ("0", "1", "1.0", "0e0", "True", "false", "-0")] == [0, 1, 1, 0, 1, 0, 0]
    with pytest.raises(ValueError, match="label must be 0 or 1"):
        parse_label("-1", problem=BINARY)


@pytest.mark.parametrize("length", [81, 1_000_000])
def test_a_long_bad_line_is_quoted_in_at_most_80_characters(length: int) -> None:
    line = ("1," * length)[:length]
    with pytest.raises(CSVFormatError) as raised:
        parse_points(f"x1,x2,label\n{line}\n")
    message = str(raised.value)
    assert f"in row {line[:79]!r}"[:-1] + "…'" in message and len(message) < 200


def test_a_huge_cell_is_refused_with_its_line() -> None:
    with pytest.raises(CSVFormatError, match="line 2: not CSV .*field larger than field limit"):
        parse_points("x1,x2,label\n" + "7" * 200_000 + ",1,1\n")


def test_rows_beyond_the_cap_are_refused_while_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_parsing, "MAX_CSV_ROWS", 3)
    assert len(parse_points("1,1,1\n" * 3)[0]) == 3
    with pytest.raises(CSVFormatError, match="line 4: more than 3 points: split the file"):
        parse_points("1,1,1\n" * 4 + "bad\n")


def test_a_file_over_the_byte_cap_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_io, "MAX_CSV_BYTES", 10)
    path = tmp_path / "big.csv"
    path.write_text("1,1,1\n1,1,1\n")
    with pytest.raises(CSVFormatError, match="big.csv is too large for a CSV points file .*the limit is 10 bytes"):
        load_points(path)


def test_special_files_are_refused_as_format_errors(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    kinds = ((fifo, "a named pipe \\(FIFO\\)"), (Path("/dev/zero"), "a character device"), (tmp_path, "a folder"))
    for path, kind in kinds:
        with pytest.raises(CSVFormatError, match=f"is {kind}, not a CSV points file: choose a regular file"):
            load_points(path)


def test_a_file_that_is_not_utf8_names_the_line_of_the_first_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("x1,x2,label\n0.5,0.5,1\n# café\n".encode("latin-1"))
    with pytest.raises(CSVFormatError, match=r"latin1.csv, line 3: not a text file \(not UTF-8\); save it as CSV"):
        load_points(path)


def test_a_one_megabyte_file_round_trips_exactly() -> None:
    x = torch.linspace(-1e3, 1e3, 50_000).reshape(-1, 2).repeat(2, 1)
    text = format_points(x, (x[:, :1] > 0).float())
    assert len(text) > 2**20
    loaded, _ = parse_points(text)
    assert torch.equal(loaded, x)


def test_a_long_bad_cell_is_shown_in_at_most_20_characters() -> None:
    with pytest.raises(CSVFormatError, match="line 1: not a number: '" + "x" * 19 + "…', in row"):
        parse_points("0.5," + "x" * 5_000 + ",1\n")


def test_utf16_with_a_byte_order_mark_loads_as_excel_unicode_text_writes_it(tmp_path: Path) -> None:
    """Excel's "Unicode Text" (and Notepad's "UTF-16"): a BOM, then UTF-16LE, tab-separated, CRLF."""
    path = tmp_path / "unicode.txt"
    path.write_bytes("x1\tx2\tlabel\r\n0.5\t-0.25\t1\r\n1.5\t2\t0\r\n".encode("utf-16"))
    x, y = load_points(path)
    assert torch.equal(x, torch.tensor([[0.5, -0.25], [1.5, 2.0]]))
    assert torch.equal(y, torch.tensor([[1.0], [0.0]]))


def test_utf16_without_a_byte_order_mark_is_refused_as_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "bare.csv"
    path.write_bytes("0.5,0.5,1\n".encode("utf-16-le"))
    with pytest.raises(CSVFormatError, match="not a text file"):
        load_points(path)


def test_nul_bytes_make_a_file_not_text_naming_their_line(tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(b"0.5,0.5,1\n0.1,\x00\x00\x00,0\n")
    with pytest.raises(CSVFormatError, match=r"nul.csv, line 2: not a text file") as error:
        load_points(path)
    assert len(str(error.value)) < 200


def test_broken_utf16_says_utf16_and_counts_its_lines_in_characters(tmp_path: Path) -> None:
    """U+010A holds a 0x0A byte: counting b"\\n" in UTF-16 bytes would name the wrong line."""
    path = tmp_path / "broken.txt"
    path.write_bytes("x1\tx2\tlabel\r\n# \u010a\r\n0.5\t0.5\t1\r\n".encode("utf-16") + b"\x00")  # odd length
    with pytest.raises(CSVFormatError, match=r"broken.txt, line 4: not a text file \(not UTF-16\)"):
        load_points(path)
