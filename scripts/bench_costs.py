"""Monte Carlo throughput of the Future Councils cost model: draws of all four estimates per second.

Run: ``.venv/bin/python scripts/bench_costs.py [--draws N] [--repeats R]``. The
first run includes allocating the arrays; the best of the repeats is the
steady-state figure. Not a test: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import time

from councildigital.sections import future_councils_costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    params = future_councils_costs.sector_parameters()
    times = []
    for seed in range(args.repeats):
        start = time.perf_counter()
        simulation = future_councils_costs.simulate(params, args.draws, seed)
        times.append(time.perf_counter() - start)
    best, first = min(times), times[0]
    print(
        f"{args.draws:,} draws of {simulation.shape[1]} estimates "
        f"({len(future_councils_costs.INPUT_NAMES)} inputs), {os.cpu_count()} CPUs"
    )
    print(f"first run: {first:.3f} s ({args.draws / first:,.0f} draws/s)")
    print(f"best of {args.repeats}: {best:.3f} s ({args.draws / best:,.0f} draws/s)")


if __name__ == "__main__":
    main()
