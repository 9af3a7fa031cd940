"""Small-cell suppression: counts of 1-4 people are hidden, and so are enough other cells that none can be worked out.

What a reader must not learn is that a figure about people is 1, 2, 3 or 4, whether from the cell itself or by
arithmetic on what is published. A published table is a set of **cells** (one count each) and **relations**
between them: a total equals the sum of its parts (a unit's participants are the sum of its reporting categories
and of its age groups; a county's figure is the sum of its municipalities'; the country's of its health regions').

1. **Primary suppression**: every count from 1 to 4 is hidden. Zero is shown: it says nothing about a person.
2. **Secondary suppression**, repeated until nothing changes:
   a. A relation with exactly one hidden cell would give it away by subtraction: another cell of the relation is
      hidden too (the smallest non-zero part, so as little as possible is lost).
   b. When a total is shown, its hidden parts add up to a number anyone can compute; that sum must not itself
      be 1-4 (nor 0, which would reveal each of them), so more parts are hidden until it is at least 5.
   c. Relations can be combined: a cell may be pinned down by several relations together although each has two
      hidden cells (two blocks of hidden cells joined by a single cell, for instance). The whole system of
      relations is solved over the hidden cells; any hidden cell that has only one possible value gets a
      complement in one of its relations, and the system is solved again.
3. Shares and averages are hidden with the count they are computed from (numerator or denominator).

Step 2c solves the linear system by Gaussian elimination modulo the prime 2^61 - 1 rather than over the rationals, so
it stays fast on tables of thousands of cells; a rank that differs between the two would need the prime to divide a
minor of a matrix of small integers, which does not happen at table sizes. Relations that hold only approximately
(a person counted in two services counts once in the country) are treated as exact, which errs on the side of
hiding more. The properties are tested with hypothesis in tests/test_suppression.py, against a brute-force search
for a second table that fits everything published.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

MINIMUM = 5  # the smallest count of people that may be shown (besides 0)
_PRIME = (1 << 61) - 1

Cell = Hashable


@dataclass(frozen=True)
class Relation:
    """``total`` = the sum of ``parts``."""

    total: Cell
    parts: tuple[Cell, ...]

    @property
    def cells(self) -> tuple[Cell, ...]:
        return (self.total, *self.parts)


def is_small(value: int | None) -> bool:
    return value is not None and 0 < value < MINIMUM


def suppress(values: Mapping[Cell, int], relations: Sequence[Relation]) -> frozenset[Cell]:
    """The cells to hide: primary (1-4) and secondary (see the module docstring)."""
    relations = [r for r in relations if all(cell in values for cell in r.cells)]
    by_cell: dict[Cell, list[Relation]] = defaultdict(list)
    for relation in relations:
        for cell in relation.cells:
            by_cell[cell].append(relation)
    hidden = {cell for cell, value in values.items() if is_small(value)}
    while True:
        changed = _local_rules(values, relations, hidden)
        if changed:
            continue
        pinned = determined_cells(hidden, relations)
        added = False
        for cell in sorted(pinned, key=_order):
            if cell in hidden and _complement_for(cell, values, by_cell, hidden):
                added = True
        if not added:
            return frozenset(hidden)


def _order(cell: Cell) -> str:
    return repr(cell)


def _local_rules(values: Mapping[Cell, int], relations: Iterable[Relation], hidden: set[Cell]) -> bool:
    changed = False
    for relation in relations:
        while _exposed(relation, values, hidden):
            complement = _complement(relation, values, hidden)
            if complement is None:
                break
            hidden.add(complement)
            changed = True
    return changed


def _exposed(relation: Relation, values: Mapping[Cell, int], hidden: set[Cell]) -> bool:
    hidden_cells = [cell for cell in relation.cells if cell in hidden]
    if not hidden_cells:
        return False
    if len(hidden_cells) == 1:
        return True
    if relation.total not in hidden:
        # The hidden parts add up to the total minus the shown parts: that sum must not be small.
        return sum(values[cell] for cell in hidden_cells) < MINIMUM
    return False


def _complement(relation: Relation, values: Mapping[Cell, int], hidden: set[Cell]) -> Cell | None:
    """The cell to hide next in a relation: the smallest non-zero shown part, else a zero part, else the total."""
    shown = [cell for cell in relation.parts if cell not in hidden]
    positive = [cell for cell in shown if values[cell] > 0]
    if positive:
        return min(positive, key=lambda cell: (values[cell], _order(cell)))
    if shown:
        return min(shown, key=_order)
    return None if relation.total in hidden else relation.total


def _complement_for(
    cell: Cell, values: Mapping[Cell, int], by_cell: Mapping[Cell, list[Relation]], hidden: set[Cell]
) -> bool:
    """Hide one more cell in a relation of ``cell``; the cheapest candidate over all its relations."""
    candidates = [c for relation in by_cell.get(cell, ()) if (c := _complement(relation, values, hidden)) is not None]
    if not candidates:
        return False
    hidden.add(min(candidates, key=lambda c: (values[c] == 0, values[c], _order(c))))
    return True


def determined_cells(hidden: set[Cell] | frozenset[Cell], relations: Iterable[Relation]) -> set[Cell]:
    """Hidden cells whose value follows from the shown cells and the relations (the linear system has one solution
    for them). Gaussian elimination to reduced row echelon form over the hidden cells: a hidden cell is determined
    exactly when its pivot row holds no other cell."""
    pivots: dict[Cell, dict[Cell, int]] = {}
    rows_with: dict[Cell, set[Cell]] = defaultdict(set)  # cell -> pivots whose row contains it
    for relation in relations:
        row: dict[Cell, int] = {}
        for cell, sign in ((relation.total, 1), *((part, -1) for part in relation.parts)):
            if cell in hidden:
                row[cell] = (row.get(cell, 0) + sign) % _PRIME
        row = {cell: value for cell, value in row.items() if value}
        for cell in [c for c in row if c in pivots]:
            factor = row.get(cell, 0)
            if factor:
                _subtract(row, pivots[cell], factor)
        if not row:
            continue
        pivot = min(row, key=_order)
        inverse = pow(row[pivot], _PRIME - 2, _PRIME)
        row = {cell: value * inverse % _PRIME for cell, value in row.items()}
        for other in list(rows_with.get(pivot, ())):
            other_row = pivots[other]
            factor = other_row.get(pivot, 0)
            if factor:
                before = set(other_row)
                _subtract(other_row, row, factor)
                for cell in before - set(other_row):
                    rows_with[cell].discard(other)
                for cell in set(other_row) - before:
                    rows_with[cell].add(other)
        pivots[pivot] = row
        for cell in row:
            rows_with[cell].add(pivot)
    return {cell for cell, row in pivots.items() if len(row) == 1}


def _subtract(row: dict[Cell, int], pivot_row: Mapping[Cell, int], factor: int) -> None:
    for cell, value in pivot_row.items():
        new = (row.get(cell, 0) - factor * value) % _PRIME
        if new:
            row[cell] = new
        else:
            row.pop(cell, None)
