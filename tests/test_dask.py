"""Scale-out: the same flow on a 2-worker Dask LocalCluster gives the same briefings."""

from tests.conftest import write_tiny_config


def _stories(out):
    edition = out / "latest"
    return {p.name: p.read_text() for p in sorted((edition / "stories").glob("*.md"))}


def test_dask_runner_gives_the_same_briefings_as_the_thread_runner(tmp_path, tiny_store, seeds, prefect_server):
    from polybrief.flows.briefing import briefing

    threads = write_tiny_config(tmp_path / "t.yaml", tiny_store, tmp_path / "threads")
    dask = write_tiny_config(tmp_path / "d.yaml", tiny_store, tmp_path / "dask",
                             runtime={"runner": "dask", "dask_workers": 2})
    one = briefing([str(seeds)], config_path=str(threads))
    two = briefing([str(seeds)], config_path=str(dask))
    assert two.counts == one.counts and two.translation["sentences_translated"] > 0
    assert [s.articles for s in two.stories] == [s.articles for s in one.stories]
    assert _stories(tmp_path / "dask") == _stories(tmp_path / "threads")
