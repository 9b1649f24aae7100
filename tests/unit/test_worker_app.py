"""The worker's faust app keeps its files where the pipeline's data lives."""

from pathlib import Path

from pipeline.settings import Settings
from pipeline.worker import create_app


def test_faust_files_go_to_the_data_dir_not_the_folder_the_worker_started_in(tmp_path: Path):
    # A first start: the data dir does not exist yet (faust itself makes only the last folder).
    app = create_app(Settings.load(app_id="test-datadir", data_dir=tmp_path / "data"))

    assert Path(app.conf.datadir).resolve() == (tmp_path / "data" / "faust").resolve()
    assert Path(app.conf.datadir).is_dir()
    assert Path(app.conf.tabledir).resolve().is_relative_to((tmp_path / "data").resolve())
