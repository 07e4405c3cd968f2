"""``python -m bench [module ...] [-- options for the module]``: run the benchmark modules."""

import importlib
import pkgutil
import sys

import bench


def main(argv):
    names = [a for a in argv if not a.startswith("-")]
    options = [a for a in argv if a.startswith("-")]
    available = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if not m.name.startswith("_"))
    unknown = [n for n in names if n not in available]
    if unknown:
        sys.exit(f"unknown benchmark {', '.join(unknown)}; available: {', '.join(available)}")
    for name in names or available:
        print(f"=== bench.{name}")
        importlib.import_module(f"bench.{name}").main(options)


if __name__ == "__main__":
    main(sys.argv[1:])
