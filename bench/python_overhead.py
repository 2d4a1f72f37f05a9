"""The overhead of checking a model through a Python callable (statelab.check on a callable)
against the same check on the same statelab LSTM in C++ (statelab.check on the statelab.Model):
the same words, the same truth, the callable being `lambda batch: model.scores(batch)`.

    PYTHONPATH=build/python /usr/bin/python3 bench/python_overhead.py [--tests N] [--repeats R]

Prints seconds per word (median of the repeats) for each, and their ratio.  bench/README.md has
a run.
"""
import argparse
import os
import pathlib
import statistics
import time

import numpy as np

import statelab

ROOT = pathlib.Path(__file__).resolve().parents[1]


def timed(f, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = f()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tests", type=int, default=20000)
    parser.add_argument("--max-length", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=256)
    args = parser.parse_args()
    model = statelab.Model.load(str(ROOT / "tests" / "data" / "bridge" / "tomita1_lstm.safetensors"))
    kw = dict(tests=args.tests, max_length=args.max_length, seed=1, max_counterexamples=1)
    calls = []

    def through_python(batch):
        calls.append(len(batch))
        return model.scores(batch)

    cpp, r1 = timed(lambda: statelab.check(model, "tomita:n=1", **kw), args.repeats)
    py, r2 = timed(lambda: statelab.check(through_python, "tomita:n=1", batch_size=args.batch_size, **kw), args.repeats)
    zero, _ = timed(lambda: statelab.check(lambda b: np.zeros(len(b)), "tomita:n=1", batch_size=args.batch_size, **kw),
                    args.repeats)
    r1["checkpoint"] = None
    assert r1 == r2, "the two checks must give the same report"
    words = r1["tested"]
    print(f"load average {os.getloadavg()[0]:.1f}; {words} words of lengths 0..{args.max_length} (and longer), "
          f"statelab LSTM {model.config['hidden_size']} hidden; median of {args.repeats}")
    print(f"{'path':<44} {'us/word':>8}")
    print(f"{'C++ (statelab.Model)':<44} {cpp / words * 1e6:8.2f}")
    print(f"{'Python callable, batches of %d' % args.batch_size:<44} {py / words * 1e6:8.2f}")
    print(f"{'Python callable returning zeros (no model)':<44} {zero / words * 1e6:8.2f}")
    print(f"ratio Python / C++: {py / cpp:.2f}x; calls per check {len(calls) // args.repeats}, "
          f"largest batch {max(calls)}")


if __name__ == "__main__":
    main()
