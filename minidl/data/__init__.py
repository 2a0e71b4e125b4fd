"""Data sets, splits, mini-batches and CSV points for minidl."""

from minidl.data.csv_io import format_points, load_points, save_points
from minidl.data.csv_parsing import CSVFormatError, parse_points
from minidl.data.datasets import make_blobs, make_circles, make_disc, make_gaussians, make_spiral, make_xor
from minidl.data.labels import infer_problem
from minidl.data.loader import DataLoader
from minidl.data.registry import CLASS_CHOICE, DATASETS, dataset_problem, make_dataset
from minidl.data.regression_sets import make_multi_gauss, make_plane
from minidl.data.split import train_test_split, train_validation_split

__all__ = [
    "CLASS_CHOICE",
    "CSVFormatError",
    "DATASETS",
    "DataLoader",
    "dataset_problem",
    "format_points",
    "infer_problem",
    "load_points",
    "make_blobs",
    "make_circles",
    "make_dataset",
    "make_disc",
    "make_gaussians",
    "make_multi_gauss",
    "make_plane",
    "make_spiral",
    "make_xor",
    "parse_points",
    "save_points",
    "train_test_split",
    "train_validation_split",
]
