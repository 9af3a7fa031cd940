"""Small-cell suppression, property-tested: on random tables with totals and subtotals, no hidden cell can be
recovered from what is published.

The check is independent of the suppression code: a brute-force search for another table of non-negative whole
numbers that agrees with every published cell and every relation, but differs in the hidden cell.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brobygger.reporting.suppression import MINIMUM, Relation, determined_cells, suppress


@st.composite
def tables(draw):
    """A table of counts with row totals, column totals, a grand total, and optionally rows grouped under
    subtotal rows (as municipalities under counties): the shapes the statistics pages publish."""
    rows = draw(st.integers(1, 4))
    columns = draw(st.integers(1, 3))
    small = st.one_of(st.integers(0, 6), st.integers(0, 20))
    values = {}
    for r in range(rows):
        for c in range(columns):
            values[(r, c)] = draw(small)
    relations = []
    for r in range(rows):
        values[(r, "sum")] = sum(values[(r, c)] for c in range(columns))
        relations.append(Relation((r, "sum"), tuple((r, c) for c in range(columns))))
    groups = draw(st.integers(1, rows))
    group_of = {r: r % groups for r in range(rows)}
    for c in [*range(columns), "sum"]:
        parents = []
        for g in range(groups):
            members = [r for r in range(rows) if group_of[r] == g]
            if groups > 1:
                values[(f"g{g}", c)] = sum(values[(r, c)] for r in members)
                relations.append(Relation((f"g{g}", c), tuple((r, c) for r in members)))
                parents.append((f"g{g}", c))
            else:
                parents.extend((r, c) for r in members)
        values[("total", c)] = sum(values[p] for p in parents)
        relations.append(Relation(("total", c), tuple(parents)))
    if groups > 1:
        for g in range(groups):
            relations.append(Relation((f"g{g}", "sum"), tuple((f"g{g}", c) for c in range(columns))))
    relations.append(Relation(("total", "sum"), tuple(("total", c) for c in range(columns))))
    return values, relations


def another_solution_exists(values, relations, hidden, cell) -> bool:
    """Depth-first search for non-negative whole numbers in the hidden cells that satisfy every relation, with
    ``cell`` different from its true value. Plain search with forced values: no linear algebra."""
    relations = [r for r in relations if any(c in hidden for c in r.cells)]

    def value_of(c, assignment):
        return assignment.get(c) if c in hidden else values[c]

    def upper_bound(c, assignment) -> int:
        # A part is at most its total minus the other parts known so far.
        bound = sum(values.values())
        for relation in relations:
            if c in relation.parts and value_of(relation.total, assignment) is not None:
                others = sum(value_of(p, assignment) or 0 for p in relation.parts if p != c)
                bound = min(bound, value_of(relation.total, assignment) - others)
        return bound

    def solve(assignment) -> bool:
        assignment = dict(assignment)
        progress = True
        while progress:
            progress = False
            for relation in relations:
                unknown = [c for c in relation.cells if c in hidden and c not in assignment]
                if len(unknown) > 1:
                    continue
                parts = sum(value_of(p, assignment) or 0 for p in relation.parts)
                if not unknown:
                    if value_of(relation.total, assignment) != parts:
                        return False
                    continue
                (missing,) = unknown
                forced = parts if missing == relation.total else value_of(relation.total, assignment) - parts
                if forced < 0:
                    return False
                assignment[missing] = forced
                progress = True
        free = [c for c in sorted(hidden, key=repr) if c not in assignment]
        if not free:
            return assignment[cell] != values[cell]
        name = free[0]
        return any(solve({**assignment, name: value}) for value in range(upper_bound(name, assignment) + 1))

    return any(solve({cell: value}) for value in range(upper_bound(cell, {}) + 1) if value != values[cell])


PROPERTIES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTIES
@given(tables())
def test_every_count_from_one_to_four_is_hidden(table):
    values, relations = table
    hidden = suppress(values, relations)
    assert {cell for cell, value in values.items() if 0 < value < MINIMUM} <= hidden


@PROPERTIES
@given(tables())
def test_no_relation_gives_away_a_hidden_cell_or_a_small_sum(table):
    values, relations = table
    hidden = suppress(values, relations)
    for relation in relations:
        in_relation = [c for c in relation.cells if c in hidden]
        assert len(in_relation) != 1, relation
        if in_relation and relation.total not in hidden:
            assert sum(values[c] for c in in_relation) >= MINIMUM, relation


@PROPERTIES
@given(tables())
def test_no_hidden_cell_is_pinned_down_by_the_relations_together(table):
    values, relations = table
    hidden = suppress(values, relations)
    assert not determined_cells(hidden, relations)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables().filter(lambda t: sum(1 for v in t[0].values() if 0 < v < MINIMUM) <= 3 and len(t[0]) <= 16))
def test_a_brute_force_search_finds_another_table_for_every_hidden_cell(table):
    values, relations = table
    hidden = suppress(values, relations)
    for cell in hidden:
        assert another_solution_exists(values, relations, hidden, cell), cell


def test_two_blocks_joined_by_one_cell_are_caught_by_the_whole_system():
    """Every row and column has two hidden cells, yet the joining cell follows from the relations together."""
    cells = {(r, c): 10 for r in range(4) for c in range(4)}
    hidden = {(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (0, 2)}
    relations = [Relation(("row", r), tuple((r, c) for c in range(4))) for r in range(4)]
    relations += [Relation(("col", c), tuple((r, c) for r in range(4))) for c in range(4)]
    assert (0, 2) in determined_cells(hidden, relations)
    # The 2x2 blocks alone can each be shifted around their cycle: nothing is pinned down.
    assert not determined_cells(hidden - {(0, 2)}, relations)
    values = {**cells, **{("row", r): 40 for r in range(4)}, **{("col", c): 40 for c in range(4)}}
    values[(0, 0)] = 2
    assert not determined_cells(suppress(values, relations), relations)


def test_zero_is_shown_and_a_table_without_small_counts_is_untouched():
    values = {"a": 0, "b": 10, "total": 10}
    assert suppress(values, [Relation("total", ("a", "b"))]) == frozenset()


def test_a_lone_small_cell_takes_the_smallest_neighbour_with_it():
    values = {"a": 2, "b": 30, "c": 7, "total": 39}
    hidden = suppress(values, [Relation("total", ("a", "b", "c"))])
    assert hidden == {"a", "c"}
