"""One account per kernel; nothing read from or written to the real ~/.aws."""
from __future__ import annotations

import botocore.client
import pytest

from kubelearn.cloud.aws import SimulatedAWS, current
from kubelearn.cloud.aws.account import DUMMY_KEY_ID


def test_one_account_per_process(aws):
    assert SimulatedAWS() is aws and SimulatedAWS(region="us-east-2") is aws
    assert current() is aws
    with pytest.raises(ValueError, match="already running"):
        SimulatedAWS(region="eu-west-1")


def test_genuine_boto3_clients(aws):
    sts = aws.client("sts")
    assert isinstance(sts, botocore.client.BaseClient)
    assert sts.get_caller_identity()["Account"] == "123456789012"
    assert aws.client("sts") is sts
    with pytest.raises(ValueError):
        aws.client("s3")


def test_real_aws_files_neither_read_nor_written(aws, tmp_path, monkeypatch):
    real = tmp_path / "home"
    (real / ".aws").mkdir(parents=True)
    poisoned = {"config": "[default]\nregion = eu-west-1\n[profile ghost]\nregion = ap-south-1\n",
                "credentials": "[default]\naws_access_key_id = AKIAREALREALREALREAL\n"
                               "aws_secret_access_key = real\n"}
    for name, text in poisoned.items():
        (real / ".aws" / name).write_text(text)
    monkeypatch.setenv("HOME", str(real))
    monkeypatch.setenv("KUBELEARN_HOME", str(tmp_path / "kl"))
    monkeypatch.setenv("AWS_PROFILE", "ghost")
    client = aws.client("sts", region="us-west-2")        # a new session, made now
    assert client.meta.region_name == "us-west-2"
    assert client._request_signer._credentials.access_key == DUMMY_KEY_ID
    assert client.get_caller_identity()["Account"] == "123456789012"
    assert aws.cli("configure set region us-east-2").exit_code == 0
    assert (tmp_path / "kl" / "aws" / "config").read_text().count("region = us-east-2") == 1
    for name, text in poisoned.items():
        assert (real / ".aws" / name).read_text() == text
    assert sorted(p.name for p in (real / ".aws").iterdir()) == ["config", "credentials"]
    assert not (real / ".kube").exists()


def test_dates_on_the_simulated_clock(aws):
    from datetime import timedelta

    from kubelearn.clock import EPOCH
    from tests.cloud.aws.conftest import trust

    iam = aws.client("iam")
    at = EPOCH + timedelta(seconds=aws.now)
    made = iam.create_role(RoleName="ts-role", AssumeRolePolicyDocument=trust("eks.amazonaws.com"))
    assert made["Role"]["CreateDate"] == at
    aws.advance(120)
    assert iam.get_role(RoleName="ts-role")["Role"]["CreateDate"] == at
