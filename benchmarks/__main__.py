"""``python -m benchmarks [--json] [--filter NAME] [--quick]``"""

from __future__ import annotations

import argparse
import sys

from benchmarks.runner import discover, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Run kubelearn's performance workloads against bare-Python baselines.",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object per line")
    parser.add_argument("--filter", metavar="NAME", help="only workloads whose name contains NAME")
    parser.add_argument("--quick", action="store_true", help="smaller sizes and fewer repeats (smoke test)")
    args = parser.parse_args(argv)

    workloads = discover()
    if args.filter:
        workloads = [w for w in workloads if args.filter in w.name]
        if not workloads:
            print(f"no benchmark workload matches {args.filter!r}", file=sys.stderr)
            return 1
    if not workloads:
        print("no benchmark workloads yet (add modules to benchmarks/workloads/)", file=sys.stderr)
        return 0
    run(workloads, quick=args.quick, as_json=args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
