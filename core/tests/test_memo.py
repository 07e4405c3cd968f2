"""Reads shared by the parts of one page are computed once inside the page's block, and every
time outside it: nothing is kept from one request to the next."""

from core.memo import shared, shared_reads


def counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return calls, compute


def test_inside_a_block_a_read_is_computed_once_per_key():
    calls, compute = counter()
    with shared_reads():
        assert shared(("figures", 1), compute) == 1
        assert shared(("figures", 1), compute) == 1
        assert shared(("figures", 2), compute) == 2
    assert len(calls) == 2


def test_outside_a_block_and_in_the_next_block_the_read_is_computed_again():
    calls, compute = counter()
    assert shared("figures", compute) == 1
    assert shared("figures", compute) == 2
    with shared_reads():
        assert shared("figures", compute) == 3
    with shared_reads():
        assert shared("figures", compute) == 4
