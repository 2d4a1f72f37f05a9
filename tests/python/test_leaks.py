# Reference counting: 10^5 calls through the bindings leave no Python object behind.
import gc
import sys
import tracemalloc

import numpy as np

import statelab


def grown_by(f, n=100_000):
    """Bytes of Python memory still held after n calls of f (after a warm-up)."""
    for _ in range(100):
        f()
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for _ in range(n):
        f()
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return after - before


def test_no_leak_in_100000_calls():
    parity = statelab.Language("parity")
    dfa = parity.dfa
    word = [0, 1, 1, 0]
    assert grown_by(lambda: parity.contains(word)) < 10_000
    assert grown_by(lambda: dfa.accepts("0110")) < 10_000
    assert grown_by(lambda: parity.count(30)) < 10_000
    assert grown_by(lambda: statelab.equivalent(dfa, dfa), 20_000) < 10_000


def test_the_callable_and_its_results_are_released():
    calls = [0]

    def model(batch):
        calls[0] += 1
        return np.zeros(len(batch))

    refs = sys.getrefcount(model)
    tracemalloc.start()
    statelab.check(model, "parity", tests=1000, max_counterexamples=1)
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    # 10^5 words in ~400 batches of 256
    statelab.check(model, "parity", tests=100_000, max_length=30, max_counterexamples=1)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert sys.getrefcount(model) == refs
    assert calls[0] > 250
    assert after - before < 100_000


def test_a_raising_callable_leaks_nothing():
    def model(batch):
        raise KeyError("x")

    refs = sys.getrefcount(model)
    for _ in range(1000):
        try:
            statelab.check(model, "parity", tests=10)
        except KeyError:
            pass
    gc.collect()
    assert sys.getrefcount(model) == refs
