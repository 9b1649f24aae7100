"""The worker's logging: records below the chosen level are never built."""

import logging

from pipeline.settings import Settings
from pipeline.worker import create_app, quiet_worker


def test_worker_keeps_the_root_logger_at_its_level():
    worker = quiet_worker(create_app(Settings.load(app_id="test-logging")), "warning")
    root = logging.Logger("root-under-test")
    root.addHandler(logging.NullHandler())
    root.setLevel(logging.WARNING)

    worker.on_setup_root_logger(root, logging.WARNING)

    # faust's spinner would set DEBUG here, and every message sent would build a log record
    assert not root.isEnabledFor(logging.DEBUG)
    assert root.isEnabledFor(logging.WARNING)
