"""The dedup config section: defaults, validation, and what the stage derives from it."""

from __future__ import annotations

import pytest

from zhclean.filters.dedup.lsh import LshParams
from zhclean.pipeline.config import ConfigError, parse_config
from zhclean.pipeline.config.dedup import DedupSection
from zhclean.transforms.dedup import params_from_config


def test_every_key_is_documented() -> None:
    import ast
    import inspect

    import zhclean.pipeline.config.dedup as module

    tree = ast.parse(inspect.getsource(module))
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "DedupSection")
    body = cls.body
    for i, node in enumerate(body):
        if isinstance(node, ast.AnnAssign):
            nxt = body[i + 1] if i + 1 < len(body) else None
            doc = isinstance(nxt, ast.Expr) and isinstance(
                getattr(nxt, "value", None), ast.Constant
            )
            assert doc, f"dedup.{node.target.id} has no docstring line"
    assert set(DedupSection.model_fields) == {
        n.target.id for n in body if isinstance(n, ast.AnnAssign)
    }


def test_defaults_give_datasketch_optimum_and_seed() -> None:
    params = params_from_config(parse_config({"run": {"seed": 7}}))
    assert params.lsh == LshParams(bands=18, rows=7)
    even = parse_config({"dedup": {"false_positive_weight": 0.5, "false_negative_weight": 0.5}})
    assert params_from_config(even).lsh == LshParams(bands=14, rows=9)
    assert params.seed == 7 and params.verify_threshold == 0.7 and params.keeper == "longest"


def test_overrides() -> None:
    config = parse_config(
        {
            "dedup": {
                "bands": 20,
                "rows": 5,
                "verify_threshold": 0.8,
                "num_perm": 100,
                "threshold": 0.6,
            }
        }
    )
    params = params_from_config(config)
    assert params.lsh == LshParams(bands=20, rows=5) and params.verify_threshold == 0.8
    assert params_from_config(parse_config({"dedup": {"verify": False}})).verify_threshold is None


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        ({"bands": 10}, "must be set together"),
        ({"false_positive_weight": 0.5}, "must equal 1"),
        ({"bands": 20, "rows": 10}, "exceeds dedup.num_perm"),
        ({"threshold": 1.0}, "'dedup.threshold'"),
        ({"shingle_size": 0}, "'dedup.shingle_size'"),
        ({"keeper": "newest"}, "'dedup.keeper'"),
        ({"minhash_scheme": "affine64"}, "'dedup.minhash_scheme'"),
        ({"max_rounds": 0}, "'dedup.max_rounds'"),
        ({"num_perms": 128}, "'dedup.num_perms': unknown key"),
        ({"near": "yes"}, "'dedup.near'"),
    ],
)
def test_bad_values_fail_in_one_line(data: dict, needle: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config({"dedup": data}, "c.yaml")
    assert needle in str(info.value) and "\n" not in str(info.value)
