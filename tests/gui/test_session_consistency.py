"""A session file must describe the training its own configuration shows: optimizer, schedule, batch size,
seed and history agree with ``config``, else opening it is refused naming the field (issue #8)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from minidl_gui.model.config import Config
from minidl_gui.model.saved_session import capture_session, session_from_saved
from minidl_gui.model.session import Session
from minidl_gui.model.session_format import SessionFileError, loads_session, session_document


def trained(config: Config, epochs: int = 3) -> Session:
    session = Session(config)
    generator = session.epochs()
    for _ in range(epochs):
        next(generator)
    generator.close()
    return session


def trained_lr(session: Session) -> float:
    """The learning rate ``session``'s next epoch trains at."""
    generator = session.epochs()
    result = next(generator)
    generator.close()
    return result.lr


def document_of(session: Session) -> dict:
    return json.loads(json.dumps(session_document(capture_session(session))))


def reopen(document: dict) -> Session:
    """What File ▸ Open does with a file holding ``document`` (without the window)."""
    return session_from_saved(loads_session(json.dumps(document).encode(), "run.minidl"))


@pytest.fixture
def scheduled(small_config) -> Config:
    return replace(small_config, training=replace(small_config.training, schedule="step", step_size=2, gamma=0.5))


def test_a_session_with_a_schedule_and_a_live_change_of_lr_reopens(scheduled) -> None:
    session = trained(scheduled)
    assert session.optimizer.lr == scheduled.training.lr * 0.5  # scheduled down
    assert reopen(document_of(session)).optimizer.lr == session.optimizer.lr
    session.configure(replace(scheduled, training=replace(scheduled.training, lr=0.02)))  # applies now, scheduled
    assert session.optimizer.lr == 0.02 * 0.5  # the base is 0.02, the rate the schedule gives after epoch 3
    assert reopen(document_of(session)).optimizer.lr == session.optimizer.lr


def test_a_file_with_a_live_lr_written_undecayed_by_older_versions_opens_at_the_scheduled_rate(scheduled) -> None:
    """Before the schedule owned the rate, a live change of lr was saved undecayed: such files still open, and
    the reopened run trains at the rate its schedule gives."""
    session = trained(scheduled)
    session.configure(replace(scheduled, training=replace(scheduled.training, lr=0.02)))
    document = document_of(session)
    document["optimizer"]["hyperparameters"]["lr"] = 0.02  # as older versions wrote it
    reopened = reopen(document)
    assert reopened.optimizer.lr == 0.02 * 0.5
    assert trained_lr(reopened) == 0.02 * 0.5


def test_a_cosine_schedule_that_reached_zero_reopens(small_config) -> None:
    config = replace(small_config, training=replace(small_config.training, schedule="cosine", max_epochs=2))
    session = trained(config, 2)
    assert session.optimizer.lr == 0.0
    assert reopen(document_of(session)).epoch == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["optimizer"]["hyperparameters"].update(eps=1e-3), "'optimizer.hyperparameters.eps' is 0.001"),
        (lambda d: d["optimizer"]["hyperparameters"].update(betas=[0.5, 0.999]), "'optimizer.hyperparameters.betas"),
        (lambda d: d["config"]["training"].update(optimizer="sgd"), "field 'optimizer.type' is 'Adam', but 'config.t"),
        (lambda d: d["trainer"].update(batch_size=17), "field 'trainer.batch_size' is 17, but 'config.training.batch"),
        (lambda d: d["config"]["training"].update(schedule="cosine"), "field 'scheduler' is 'StepLR', but 'config"),
        (lambda d: d["scheduler"]["state"].update(step_size=3), "field 'scheduler.state.step_size' is 3, but 'config"),
        (lambda d: d["scheduler"]["state"].update(base_lr=0.5), "field 'scheduler.state.base_lr' is 0.5, but"),
        (lambda d: d["optimizer"]["hyperparameters"].update(lr=0.5), "lr' is 0.5, but 'config.training.lr' and the"),
        (lambda d: d.update(seed=12), "field 'seed' is 12, but 'config.network.seed' is 3"),
        (lambda d: d["trainer"].update(epoch=2), "field 'history' has 3 epochs but 'trainer.epoch' is 2"),
        (lambda d: d["config"]["training"].update(lr=1e308), "field 'config' is invalid: learning rate must be in"),
    ],
)
def test_a_file_that_disagrees_with_its_configuration_is_refused(scheduled, change, message) -> None:
    document = document_of(trained(scheduled))
    reopen(document)  # as saved, it opens
    change(document)
    with pytest.raises(SessionFileError, match=message):
        reopen(document)


def test_without_a_schedule_the_lr_must_be_the_configured_one(small_config) -> None:
    document = document_of(trained(small_config))
    document["optimizer"]["hyperparameters"]["lr"] = 0.5
    with pytest.raises(
        SessionFileError, match=r"'optimizer.hyperparameters.lr' is 0.5, but 'config.training' gives 0.01"
    ):
        reopen(document)
    document["scheduler"] = {
        "type": "StepLR",
        "state": {"base_lr": 0.01, "last_epoch": 3, "step_size": 50, "gamma": 0.5},
    }
    with pytest.raises(
        SessionFileError, match="field 'scheduler' is 'StepLR', but 'config.training.schedule' is 'none'"
    ):
        reopen(document)
