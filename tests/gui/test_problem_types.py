"""The app's model for the three problem types (issue #11): configuration, session, snapshots, points, session
files, runs and presets — without widgets."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from minidl.data import save_points
from minidl.features import DEFAULT_FEATURES
from minidl.problem import Problem
from minidl_gui.model.config import Config, DataConfig, LayerConfig, NetworkConfig, TrainingConfig, fit_problem
from minidl_gui.model.history import BASE_COLUMNS, REGRESSION_COLUMNS
from minidl_gui.model.point_edits import AddPoint, ReplacePoints, add_point, switched_data
from minidl_gui.model.points_file import read_points, write_points
from minidl_gui.model.presets import PRESETS, preset
from minidl_gui.model.runs_log import make_run, summary_text
from minidl_gui.model.saved_session import capture_session, session_from_saved
from minidl_gui.model.session import Session, run_settings
from minidl_gui.model.session_format import SessionFileError, load_session, loads_session, save_session
from minidl_gui.model.session_format.document import session_document

SAMPLES = Path(__file__).parent / "session_samples"
SMALL_NET = NetworkConfig(hidden=(LayerConfig(8, "tanh"),), init="torch", seed=3)
FAST = TrainingConfig(optimizer="adam", lr=0.01, batch_size=16, max_epochs=50)


def config_of(dataset: str, classes: int | None = None, *, features=DEFAULT_FEATURES, n: int = 60) -> Config:
    """A small, fitting configuration of ``dataset`` (through `fit_problem`)."""
    data = DataConfig(dataset=dataset, n_train=n, n_test=n // 2, seed=1, classes=classes)
    return fit_problem(data, replace(SMALL_NET, features=features), FAST)[0]


def train(session: Session, epochs: int) -> None:
    iterator = session.epochs()
    for _ in range(epochs):
        next(iterator)
    iterator.close()


# -- configuration -------------------------------------------------------------------------------
def test_the_data_says_the_problem_and_a_default_class_count_reads_as_none():
    assert DataConfig().problem == Problem.classification(2)
    assert DataConfig(dataset="blobs").problem == Problem.classification(3)
    assert DataConfig(dataset="spiral", classes=3).problem == Problem.classification(3)
    assert DataConfig(dataset="plane").problem == Problem.regression()
    assert DataConfig(dataset="blobs", classes=3) == DataConfig(dataset="blobs")  # 3 is the blobs' own count
    assert DataConfig(dataset="spiral", classes=2).classes is None
    with pytest.raises(ValueError, match="class count"):
        DataConfig(dataset="disc", classes=4)
    with pytest.raises(ValueError):
        DataConfig(dataset="blobs", classes=7)


def test_features_are_checked_and_kept_in_the_playgrounds_order():
    assert NetworkConfig().features == DEFAULT_FEATURES == ("x1", "x2")
    assert NetworkConfig(features=("x1^2", "x1", "sin(x2)")).features == ("x1", "x1^2", "sin(x2)")
    assert NetworkConfig(features=["x2"]).features == ("x2",)
    for features, message in (
        (("x1", "x3"), "Unknown input feature.*'x3'.*x1, x2, x1\\^2"),
        (("x1", "x1"), "more than once"),
        ((), "at least one input feature"),
        ("x1", "list of names"),
    ):
        with pytest.raises(ValueError, match=message):
            NetworkConfig(features=features)


def test_sizes_follow_the_features_and_the_problem():
    network = NetworkConfig(hidden=(LayerConfig(5),), features=("x1", "x2", "x1*x2"))
    assert Config(network=network).sizes == [3, 5, 1]
    assert fit_problem(DataConfig(dataset="blobs", classes=4), network, TrainingConfig())[0].sizes == [3, 5, 4]
    assert fit_problem(DataConfig(dataset="plane"), network, TrainingConfig())[0].sizes == [3, 5, 1]
    assert not hasattr(NetworkConfig, "sizes")  # the output width is the data's: Config.sizes


def test_a_config_refuses_a_loss_or_output_that_does_not_fit_its_problem():
    blobs, plane = DataConfig(dataset="blobs"), DataConfig(dataset="plane")
    with pytest.raises(ValueError, match="the mse loss does not fit a 3-class problem"):
        Config(data=blobs)
    with pytest.raises(ValueError, match="cross_entropy loss does not fit a binary problem"):
        Config(training=TrainingConfig(loss="cross_entropy"))
    with pytest.raises(ValueError, match="identity output"):
        Config(data=blobs, network=NetworkConfig(output_activation="sigmoid"), training=TrainingConfig("cross_entropy"))
    with pytest.raises(ValueError, match="identity output"):
        Config(data=plane, network=NetworkConfig(output_activation="sigmoid"))
    with pytest.raises(ValueError, match="does not fit a regression"):
        Config(data=plane, network=NetworkConfig(output_activation="sigmoid"), training=TrainingConfig("bce"))
    Config(data=plane, training=TrainingConfig("mae"))  # fits


def test_fit_problem_changes_the_loss_and_output_where_they_do_not_fit_and_says_so():
    network, training = NetworkConfig(), TrainingConfig()
    config, message = fit_problem(DataConfig(), network, training)
    assert (config, message) == (Config(), "")
    config, message = fit_problem(DataConfig(dataset="spiral", classes=3), network, training)
    assert (config.training.loss, config.network.output_activation, config.sizes[-1]) == (
        "cross_entropy",
        "identity",
        3,
    )
    assert message == "The spiral data is a 3-class problem: loss mse → cross_entropy."
    back, message = fit_problem(DataConfig(dataset="disc"), config.network, config.training)
    assert (back.training.loss, back.network.output_activation) == ("mse", "identity")
    assert message == "The disc data is a binary problem: loss cross_entropy → mse."
    bce = replace(training, loss="bce")
    sigmoid = replace(network, output_activation="sigmoid")
    config, message = fit_problem(DataConfig(dataset="plane"), sigmoid, bce)
    assert (config.training.loss, config.network.output_activation) == ("mse", "identity")
    assert message == "The plane data is a regression problem: loss bce → mse, output sigmoid → identity."
    assert fit_problem(DataConfig(), sigmoid, bce) == (Config(network=sigmoid, training=bce), "")
    config, _ = fit_problem(DataConfig(dataset="blobs"), sigmoid, replace(training, loss="cross_entropy"))
    assert config.network.output_activation == "identity"


def test_the_new_fields_round_trip_through_json_and_old_configs_load_as_before():
    config = config_of("blobs", 5, features=("x1", "x2", "x1^2", "sin(x2)"))
    text = json.dumps(config.to_dict())
    assert Config.from_dict(json.loads(text)) == config
    assert json.loads(text)["network"]["features"] == ["x1", "x2", "x1^2", "sin(x2)"]
    old = json.loads(json.dumps(Config().to_dict()))
    del old["data"]["classes"], old["network"]["features"]
    assert Config.from_dict(old) == Config()
    for section, values, message in (
        ("data", {"classes": "3"}, "must be a number"),
        ("data", {"classes": 2.5}, "whole number"),
        ("network", {"features": "x1"}, "list of strings"),
        ("network", {"features": ["x1", 2]}, "list of strings"),
    ):
        with pytest.raises(ValueError, match=message):
            Config.from_dict({section: values})


def test_run_settings_pass_the_problem_and_only_other_features_than_x1_x2():
    binary = run_settings(Config())
    assert (binary.problem, binary.features) == (Problem(), None)  # the model of sessions before features
    settings = run_settings(config_of("blobs", 4, features=("x1", "x2", "x1*x2")))
    assert (settings.problem, settings.features) == (Problem.classification(4), ("x1", "x2", "x1*x2"))


# -- the session and its snapshots -----------------------------------------------------------------
def test_switching_the_data_set_switches_the_output_width_and_the_loss():
    session = Session(config_of("disc"), resolution=10)
    assert session.snapshot().grid.shape == (10, 10)
    config, message = fit_problem(replace(session.config.data, dataset="blobs", classes=4), SMALL_NET, FAST)
    assert "loss mse → cross_entropy" in message
    change = session.configure(config)
    assert change.reset and change.message.startswith("Data changed")
    assert session.model.forward(torch.zeros(1, 2)).shape == (1, 4)
    assert session.trainer.criterion.class_targets
    assert set(session.train_data[1].view(-1).tolist()) == {0.0, 1.0, 2.0, 3.0}


def test_a_multiclass_snapshot_has_probabilities_and_confusion_matrices_that_count_every_point():
    session = Session(config_of("blobs", 3), resolution=12)
    train(session, 3)
    snapshot = session.snapshot()
    assert snapshot.problem == Problem.classification(3)
    assert snapshot.grid.shape == (12, 12, 3)
    np.testing.assert_allclose(snapshot.grid.sum(axis=2), 1.0, rtol=1e-5)
    for points, wrong, confusion in (
        (snapshot.train, snapshot.train_wrong, snapshot.train_confusion),
        (snapshot.test, snapshot.test_wrong, snapshot.test_confusion),
    ):
        assert confusion.shape == (3, 3) and confusion.dtype == np.int64
        assert confusion.sum() == len(points.x)
        assert confusion.sum(axis=1).tolist() == np.bincount(points.y.astype(int), minlength=3).tolist()
        assert wrong.sum() == confusion.sum() - np.trace(confusion)
    accuracy = np.trace(snapshot.test_confusion) / snapshot.test_confusion.sum()
    assert accuracy == pytest.approx(session.history.last("test_accuracy"))


def test_a_binary_snapshot_keeps_its_grid_and_gets_a_two_by_two_confusion_matrix():
    session = Session(config_of("xor"), resolution=8)
    train(session, 2)
    snapshot = session.snapshot()
    assert snapshot.problem == Problem() and snapshot.grid.shape == (8, 8)
    assert snapshot.train_confusion.shape == (2, 2) and snapshot.train_confusion.sum() == len(snapshot.train.x)
    assert snapshot.train_wrong.sum() == snapshot.train_confusion[0, 1] + snapshot.train_confusion[1, 0]


def test_a_regression_snapshot_has_the_prediction_grid_and_no_classes():
    session = Session(config_of("plane"), resolution=9)
    train(session, 3)
    snapshot = session.snapshot()
    assert snapshot.problem == Problem.regression()
    assert snapshot.grid.shape == (9, 9) and np.isfinite(snapshot.grid).all()
    assert snapshot.train_confusion is None and snapshot.test_confusion is None
    assert not snapshot.train_wrong.any() and len(snapshot.train_wrong) == len(snapshot.train.x)
    assert not snapshot.test_wrong.any()
    record = snapshot.results[-1]
    assert record.train_accuracy is None and record.test_accuracy is None
    assert record.train_rmse >= 0.0 and record.test_r2 <= 1.0
    assert np.isnan(session.history.column("test_accuracy")).all()
    assert session.history.last("test_r2") == record.test_r2
    assert session.history.last("train_rmse") == record.train_rmse


def test_a_feature_change_rebuilds_the_model_and_says_so():
    session = Session(config_of("disc"), resolution=6)
    train(session, 2)
    change = session.configure(replace(session.config, network=replace(SMALL_NET, features=("x1^2", "x2^2"))))
    assert change.reset and change.message.startswith("Network changed")
    assert session.epoch == 0 and len(session.history) == 0
    assert type(session.model[0]).__name__ == "Features" and session.model[1].weight.shape == (8, 2)
    assert "x1^2" in repr(session.model)
    train(session, 1)


def test_binary_sessions_with_the_default_features_have_no_features_module():
    session = Session(config_of("disc"), resolution=6)
    assert type(session.model[0]).__name__ == "Linear"


# -- drawing and importing points -----------------------------------------------------------------
def test_added_points_carry_a_float_label_that_must_fit_the_problem():
    empty = (torch.zeros(0, 2), torch.zeros(0, 1))
    three = Problem.classification(3)
    assert add_point(empty, (0.1, 0.2), 2, three)[1].tolist() == [[2.0]]
    assert add_point(empty, (0.1, 0.2), -0.35, Problem.regression())[1].tolist() == [[pytest.approx(-0.35)]]
    with pytest.raises(ValueError, match="class index 0..2"):
        add_point(empty, (0.0, 0.0), 3, three)
    with pytest.raises(ValueError, match="class index 0..2"):
        add_point(empty, (0.0, 0.0), 0.5, three)
    session = Session(config_of("blobs", 3), resolution=6)
    before = len(session.train_data[0])
    assert session.edit_points(AddPoint(0.5, 0.5, 2)).startswith("Added a class-2 point")
    assert session.edit_points(AddPoint(0.5, 0.5, 3)).startswith("No point added")
    assert len(session.train_data[0]) == before + 1
    regression = Session(config_of("plane"), resolution=6)
    assert regression.edit_points(AddPoint(0.5, 0.5, 0.25)).startswith("Added a point of target 0.25")
    assert regression.train_data[1][-1].item() == 0.25


def write_csv(path: Path, problem: Problem, n: int = 40) -> Path:
    generator = torch.Generator().manual_seed(0)
    x = torch.rand(n, 2, generator=generator)
    if problem.is_classification:
        y = (torch.arange(n) % problem.classes).float().view(-1, 1)
    else:
        y = (x[:, :1] - x[:, 1:]) * 0.8
    save_points(path, x, y, problem=problem)
    return path


def test_imported_points_of_another_problem_switch_the_data_set_and_say_so(tmp_path):
    session = Session(config_of("disc"), resolution=6)
    edit = read_points(write_csv(tmp_path / "three.csv", Problem.classification(3)), session.config.data)
    assert edit.problem == Problem.classification(3)
    assert session.edit_rebuilds(edit)
    message = session.edit_points(edit)
    assert message.startswith("Imported 40 points from three.csv")
    assert message.endswith(
        "They are a 3-class problem: data set disc → blobs, loss mse → cross_entropy; a new model was built."
    )
    assert session.config.data == replace(config_of("disc").data, dataset="blobs", classes=3)
    assert session.model.forward(torch.zeros(1, 2)).shape == (1, 3) and session.custom_points
    assert len(session.train_data[0]) + len(session.test_data[0]) == 40
    train(session, 1)
    # a regression CSV: plane; a binary one: back to a binary set (the spiral keeps its set with 2 arms)
    session.edit_points(read_points(write_csv(tmp_path / "plane.csv", Problem.regression()), session.config.data))
    assert session.config.data.dataset == "plane" and session.config.training.loss == "mse"
    assert switched_data(DataConfig(dataset="spiral", classes=3), Problem()) == DataConfig(dataset="spiral")
    assert switched_data(DataConfig(dataset="plane"), Problem()).dataset == "disc"
    assert switched_data(DataConfig(dataset="multi_gauss"), Problem.regression()).dataset == "multi_gauss"


def test_imported_points_of_the_same_problem_keep_the_model(tmp_path):
    session = Session(config_of("blobs", 3), resolution=6)
    model = session.model
    edit = read_points(write_csv(tmp_path / "three.csv", Problem.classification(3)), session.config.data)
    assert not session.edit_rebuilds(edit)
    message = session.edit_points(edit)
    assert message.startswith("Imported 40 points from three.csv: ") and message.endswith(" for testing.")
    assert session.model is model


def test_points_that_do_not_fit_the_problem_change_nothing():
    session = Session(config_of("blobs", 3), resolution=6)
    before = session.train_data
    points = (torch.zeros(3, 2), torch.tensor([[0.0], [1.0], [4.0]]))
    edit = ReplacePoints(points, (torch.zeros(0, 2), torch.zeros(0, 1)), "bad.csv", problem=Problem.classification(3))
    assert session.edit_points(edit) == (
        "Nothing imported from bad.csv: a point's label must be a class index 0..2 for a 3-class problem, got 4."
    )
    assert session.train_data is before


def test_undo_skips_points_of_another_problem():
    session = Session(config_of("blobs", 3), resolution=6)
    session.edit_points(AddPoint(0.5, 0.5, 2))
    session.configure(config_of("plane"))  # the drawn 3-class points are remembered, then regression points come
    session.configure(config_of("disc"))  # plane targets do not fit two classes
    assert not session.undo_points()


def test_exported_points_are_written_in_the_problems_format(tmp_path):
    session = Session(config_of("plane"), resolution=6)
    snapshot = session.snapshot()
    path = tmp_path / "plane.csv"
    count = write_points(path, snapshot.train, snapshot.test, snapshot.problem)
    assert count == len(snapshot.train.x) + len(snapshot.test.x)
    assert path.read_text().splitlines()[0] == "x1,x2,target"
    edit = read_points(path, session.config.data)
    assert edit.problem == Problem.regression()
    np.testing.assert_array_equal(
        np.sort(torch.cat([edit.train[1], edit.test[1]]).view(-1).numpy()),
        np.sort(np.concatenate([snapshot.train.y, snapshot.test.y])),
    )


# -- session files --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("dataset", "classes", "features"),
    [("spiral", 3, ("x1", "x2", "sin(x1)")), ("plane", None, ("x1", "x2", "x1*x2"))],
)
def test_a_session_of_each_problem_round_trips_through_a_file(tmp_path, dataset, classes, features):
    session = Session(config_of(dataset, classes, features=features), resolution=6)
    train(session, 2)
    path = tmp_path / "run.minidl"
    captured = capture_session(session)
    assert captured.train[1].shape == (60, 1) and captured.train[1].dtype == torch.float32  # not the trainer's int64
    torch.testing.assert_close(captured.train[1], session.train_data[1], rtol=0, atol=0)
    save_session(path, captured)
    document = json.loads(path.read_text())
    assert document["problem"] == str(session.config.data.problem)
    assert document["config"]["network"]["features"] == list(features)
    assert document["config"]["data"].get("classes") == classes
    if classes is None:
        assert set(REGRESSION_COLUMNS) <= set(document["history"])
    restored = session_from_saved(load_session(path), resolution=6)
    assert restored.config == session.config and restored.epoch == 2
    for a, b in zip(
        (*restored.train_data, *restored.test_data), (*session.train_data, *session.test_data), strict=True
    ):
        assert torch.equal(a, b)
    for (name, a), b in zip(restored.model.state_dict().items(), session.model.state_dict().values(), strict=True):
        assert torch.equal(a, b), name
    assert restored.history.last("test_loss") == session.history.last("test_loss")
    if classes is None:
        assert restored.history.last("test_r2") == session.history.last("test_r2")
    np.testing.assert_array_equal(restored.snapshot().grid, session.snapshot().grid)


def test_a_binary_sessions_file_has_no_problem_field_and_only_the_columns_it_always_had():
    session = Session(config_of("disc"), resolution=6)
    train(session, 1)
    document = session_document(capture_session(session))
    assert "problem" not in document and tuple(document["history"]) == BASE_COLUMNS
    assert "classes" not in document["config"]["data"] and "features" not in document["config"]["network"]


def test_a_file_written_before_problem_types_opens_as_a_binary_session():
    session = session_from_saved(load_session(SAMPLES / "v1_adam_step.minidl"), resolution=6)
    assert session.config.data.problem == Problem() and session.config.data.classes is None
    assert session.config.network.features == DEFAULT_FEATURES
    snapshot = session.snapshot()
    assert snapshot.problem == Problem() and snapshot.grid.shape == (6, 6)
    assert snapshot.train_confusion.sum() == len(snapshot.train.x)


@pytest.fixture
def three_class_document() -> dict:
    session = Session(config_of("blobs", 3), resolution=6)
    train(session, 1)
    return json.loads(json.dumps(session_document(capture_session(session))))


def refused(document: dict) -> str:
    with pytest.raises(SessionFileError) as error:
        session_from_saved(loads_session(json.dumps(document).encode(), "run.minidl"))
    return str(error.value)


def test_a_file_whose_problem_does_not_fit_its_model_labels_or_configuration_is_refused(three_class_document):
    document = three_class_document
    assert "problem" in document
    assert "field 'problem' should be 'binary', 'regression' or 'k classes'" in refused({**document, "problem": "x"})
    message = refused({**document, "problem": "4 classes"})
    assert "gives 3 outputs, but a 4-class problem (field 'problem') needs 4" in message
    bad_labels = json.loads(json.dumps(document))
    bad_labels["data"]["train"]["y"][0] = 3
    assert "labels in 'data.train.y' should all be class indices from 0 to 2" in refused(bad_labels)
    binary = {key: value for key, value in document.items() if key != "problem"}
    assert "the labels in 'data.train.y' should all be 0 or 1" in refused(binary)
    other = json.loads(json.dumps(document))
    other["config"]["data"]["classes"] = 4
    assert "field 'problem' is '3 classes', but 'config.data' gives '4 classes'" in refused(other)


# -- runs ------------------------------------------------------------------------------------------
def test_a_runs_summary_and_metric_say_its_problem_and_features():
    config = config_of("blobs", 4, features=("x1", "x2", "x1^2"))
    assert summary_text(config).startswith("blobs ×4 · [x1, x2, x1^2] 8 tanh · Adam")
    assert summary_text(config).endswith("cross_entropy")
    session = Session(config_of("plane"), resolution=6)
    train(session, 2)
    run = make_run(session.config, session.history, 1.0, "done")
    assert run.metric("test") == f"R² {session.history.last('test_r2'):.3f}"
    classified = Session(config_of("blobs", 3), resolution=6)
    train(classified, 1)
    run = make_run(classified.config, classified.history, 1.0, "done")
    assert run.metric("train") == f"{100 * classified.history.last('train_accuracy'):.1f} %"


# -- presets ---------------------------------------------------------------------------------------
def epochs_to_reach(config: Config, good_enough) -> tuple[int, float]:  # noqa: ANN001
    """Train ``config`` until ``good_enough(record)``: (epochs, its test metric); at most its max_epochs."""
    session = Session(config, resolution=4)
    for record in session.epochs():
        metric = record.test_accuracy if record.test_accuracy is not None else record.test_r2
        if good_enough(record) or record.epoch >= config.training.max_epochs:
            return record.epoch, metric
    raise AssertionError("no epoch")


def test_the_new_presets_exist_and_fit_their_problem():
    assert PRESETS["spiral-3"][0] == "Spiral, 3 classes"
    assert PRESETS["regression-plane"][0] == "Regression — plane"
    spiral, plane = preset("spiral-3"), preset("regression-plane")
    assert spiral.data.problem == Problem.classification(3) and spiral.training.loss == "cross_entropy"
    assert spiral.network.features == ("x1", "x2") and {layer.activation for layer in spiral.network.hidden} == {"relu"}
    assert (plane.data.dataset, plane.data.problem, plane.training.loss) == ("plane", Problem.regression(), "mse")
    assert plane.network.output_activation == "identity"


def test_the_spiral_3_preset_reaches_90_percent_test_accuracy_within_its_epochs():
    config = preset("spiral-3")
    epochs, accuracy = epochs_to_reach(config, lambda record: record.test_accuracy >= 0.9)
    assert accuracy >= 0.9, f"{accuracy:.3f} after {epochs} epochs"


def test_the_regression_plane_preset_reaches_r2_of_0_99_within_its_epochs():
    config = preset("regression-plane")
    epochs, r2 = epochs_to_reach(config, lambda record: record.test_r2 >= 0.99)
    assert r2 >= 0.99, f"R² {r2:.4f} after {epochs} epochs"


def test_the_new_presets_are_choices_of_the_command_line():
    from minidl_gui.app import parse_args

    for key in ("spiral-3", "regression-plane"):
        assert parse_args(["--preset", key]).preset == key


def test_the_regression_preset_runs_scripted_from_the_command_line(tmp_path):
    import os
    import subprocess
    import sys

    shot = tmp_path / "plane.png"
    command = ["--preset", "regression-plane", "--autostart", "--quit-after-epochs", "2", "--screenshot", str(shot)]
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from minidl_gui.app import main; sys.exit(main(sys.argv[1:]))", *command],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr
    assert f"wrote {shot}" in done.stdout and shot.stat().st_size > 0


def test_saved_settings_with_a_bad_field_keep_a_k_class_data_set_and_its_loss():
    from minidl_gui.model.config_json import config_from_saved_json

    saved = config_of("blobs", 4, features=("x1", "x2", "x1^2")).to_dict()
    saved["training"]["lr"] = -1.0
    config, reset = config_from_saved_json(json.dumps(saved))
    assert reset == ["config.training.lr"]
    assert (config.data.classes, config.training.loss, config.network.features) == (
        4,
        "cross_entropy",
        ("x1", "x2", "x1^2"),
    )


def test_weights_of_a_features_model_export_and_refuse_a_model_of_other_features(tmp_path):
    from minidl_gui.model.export import load_weights, save_weights
    from minidl_gui.model.json_document import SessionFileError as WeightsError

    session = Session(config_of("disc", features=("x1", "x2", "x1^2")), resolution=4)
    train(session, 1)
    path = tmp_path / "weights.json"
    save_weights(path, session.model)
    again = Session(config_of("disc", features=("x1", "x2", "x1^2")), resolution=4)
    load_weights(path, again.model)
    for a, b in zip(again.model.state_dict().values(), session.model.state_dict().values(), strict=True):
        assert torch.equal(a, b)
    other = Session(config_of("disc", features=("x1", "x2", "x2^2")), resolution=4)
    with pytest.raises(WeightsError):
        load_weights(path, other.model)


def test_an_import_of_another_problem_while_training_ends_the_run_and_trains_on_a_new_model(run_until_halted):
    from minidl_gui.worker import TrainingWorker
    from minidl_gui.worker_commands import EditPoints, Train

    config = replace(config_of("disc"), training=replace(FAST, max_epochs=4))
    worker = TrainingWorker(Session(config, resolution=4), interval=0.0)
    runs, messages, snapshots = [], [], []
    worker.runEnded.connect(runs.append)
    worker.message.connect(messages.append)
    x = torch.rand(30, 2, generator=torch.Generator().manual_seed(0))
    targets = ReplacePoints((x[:20], x[:20, :1] - 0.5), (x[20:], x[20:, :1] - 0.5), "plane.csv")

    def import_after_epoch_2(snapshot) -> None:  # noqa: ANN001
        snapshots.append(snapshot)
        worker.snapshot_consumed()
        if snapshot.epoch == 2 and len(runs) == 0:
            worker.submit(EditPoints(targets))

    worker.yielded.connect(import_after_epoch_2)
    worker.submit(Train())
    run_until_halted(worker)
    assert [(run.ended, run.epochs, str(run.config.data.problem)) for run in runs[:1]] == [("reset", 2, "binary")]
    assert any(
        m.endswith("They are a regression problem: data set disc → plane; a new model was built.") for m in messages
    )
    session = worker.session
    assert session.config.data.dataset == "plane" and session.custom_points and len(session.train_data[0]) == 20
    assert [record.epoch for record in session.history.records] == [1, 2, 3, 4]  # the new model's run, to its end
    assert snapshots[-1].problem == Problem.regression() and snapshots[-1].train_confusion is None
    assert session.history.last("train_r2") is not None
