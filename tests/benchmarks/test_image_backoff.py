"""The image-pull back-off workload, at toy sizes: it sets up what it claims."""
from benchmarks.runner import Bench
from benchmarks.workloads import image_backoff


def test_the_pods_are_in_image_pull_back_off_after_set_up():
    c = image_backoff.backoff_cluster(6)
    pods = c.api.list("Pod", "default")
    assert len(pods) == 6
    assert {p["status"]["containerStatuses"][0]["state"]["waiting"]["reason"]
            for p in pods} == {"ImagePullBackOff"}


def test_the_workload_and_its_baseline_report_seconds(monkeypatch):
    monkeypatch.setattr(image_backoff, "QUICK_REPLICAS", 6)
    monkeypatch.setattr(image_backoff, "SECONDS", 60.0)
    bench = Bench(quick=True, repeat=1)
    assert image_backoff.image_pull_backoff.fn(bench) > 0
    assert image_backoff.bare_backoff(bench) > 0
