"""``python -m bench [module ...] [-- options for the module]``: run the benchmark modules."""

import importlib
import pkgutil
import sys

import bench


def main(argv):
    available = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if not m.name.startswith("_"))
    # Leading words name benchmarks; everything from the first option on is the options
    # (``--members 100000`` as well as ``--members=100000``).
    names = []
    for arg in argv:
        if arg.startswith("-"):
            break
        names.append(arg)
    options = argv[len(names) :]
    unknown = [n for n in names if n not in available]
    if unknown:
        sys.exit(f"unknown benchmark {', '.join(unknown)}; available: {', '.join(available)}")
    quiet = "--json" in options
    for name in names or available:
        if not quiet:
            print(f"=== bench.{name}")
        importlib.import_module(f"bench.{name}").main(options)


if __name__ == "__main__":
    main(sys.argv[1:])
