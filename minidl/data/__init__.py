"""Data sets, splits, mini-batches and CSV points for minidl."""

from minidl.data.csv_io import format_points, load_points, save_points
from minidl.data.csv_parsing import CSVFormatError, parse_points
from minidl.data.datasets import (
    DATASETS,
    make_circles,
    make_dataset,
    make_disc,
    make_gaussians,
    make_spiral,
    make_xor,
)
from minidl.data.loader import DataLoader
from minidl.data.split import train_test_split, train_validation_split

__all__ = [
    "CSVFormatError",
    "DATASETS",
    "DataLoader",
    "format_points",
    "load_points",
    "make_circles",
    "make_dataset",
    "make_disc",
    "make_gaussians",
    "make_spiral",
    "make_xor",
    "parse_points",
    "save_points",
    "train_test_split",
    "train_validation_split",
]
