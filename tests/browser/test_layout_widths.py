"""What a student sees at 1400 and 1024 px (issue 18, items 4 and 5): every table fits its column
(or wraps) with every header on screen, and three models side by side stay readable (their
chips in the picker, their columns, full chart labels, no rotated "0% 0% 0%" ticks).

Example:
    >>> WIDTHS
    (1400, 1024)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import assert_no_exception, goto, screenshot, upload_file, wait_idle
from tests.catalog import piece
from ui.i18n import translate

pytestmark = pytest.mark.browser

WIDTHS = (1400, 1024)
PHOTO = "000000000036.jpg"  # coco8 val: a person under an umbrella (labels: person, umbrella)

# Every table on screen that is wider than the room it has: st.table's scroll box, or a
# dataframe's grid (its scroller) wider than its frame. Each as its headers, to name it.
_CUT_TABLES = """() => {
    const out = [];
    const shown = (el) => el.offsetParent !== null && !el.closest('[data-stale="true"]');
    for (const el of document.querySelectorAll('[data-testid="stTable"]')) {
        const box = el.firstElementChild;
        if (shown(el) && box.scrollWidth > box.clientWidth + 1)
            out.push(['table', box.scrollWidth, box.clientWidth, el.querySelector('tr').innerText]);
    }
    for (const el of document.querySelectorAll('[data-testid="stDataFrame"]')) {
        const grid = el.querySelector('.dvn-scroller');
        if (shown(el) && grid && grid.scrollWidth > grid.clientWidth + 1)
            out.push(['dataframe', grid.scrollWidth, grid.clientWidth, el.getAttribute('aria-label') || '']);
    }
    return out;
}"""
# The headers of every st.table whose box is not wholly inside its table's visible box.
_HIDDEN_HEADERS = """() => {
    const out = [];
    for (const el of document.querySelectorAll('[data-testid="stTable"]')) {
        if (el.offsetParent === null) continue;
        const box = el.firstElementChild.getBoundingClientRect();
        for (const th of el.querySelectorAll('th')) {
            const r = th.getBoundingClientRect();
            if (r.left < box.left - 1 || r.right > box.right + 1) out.push(th.innerText);
        }
    }
    return out;
}"""
_HEADERS = """() => [...document.querySelectorAll('[data-testid="stTable"] th')].map(th => th.innerText.trim())"""
# Per chart: its width, its x tick texts, whether any is rotated, any y tick cut at the left edge.
_CHARTS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(plot => {
    const svg = plot.querySelector('.main-svg').getBoundingClientRect();
    const x = [...plot.querySelectorAll('.xtick text')];
    const y = [...plot.querySelectorAll('.ytick text')];
    return {
        width: svg.width,
        xticks: x.map(e => e.textContent),
        rotated: x.some(e => /rotate\\((?!0[,)])/.test(e.getAttribute('transform') || '')),
        ycut: y.filter(e => e.getBoundingClientRect().left < svg.left - 1).map(e => e.textContent),
        labels: plot.data[0].customdata ? [...plot.data[0].customdata] : [],
        y: [...plot.data[0].y],
    };
})"""
# The picker's chips: how many, and those not wholly inside the box that shows them (in one
# scrolling row, the second model's chip sat out of sight).
_CHIPS = """() => {
    const box = [...document.querySelectorAll('[data-testid="stMultiSelectTagsContainer"]')]
        .find(e => e.offsetParent !== null && e.querySelector('[data-tag]'));
    if (!box) return {n: 0, hidden: []};
    const outer = box.getBoundingClientRect();
    const chips = [...box.querySelectorAll('[data-tag]')];
    return {n: chips.length, hidden: chips.filter(c => {
        const r = c.getBoundingClientRect();
        return r.width < 30 || r.left < outer.left - 1 || r.right > outer.right + 1
            || r.top < outer.top - 1 || r.bottom > outer.bottom + 1;
    }).map(c => c.getAttribute('aria-label'))};
}"""


def es(key: str, **params: object) -> str:
    return translate(key, "es", **params)


@pytest.fixture(params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def sized_page(request, browser, server):
    """A page at one of the course's two widths (a classroom's 1400 px screen, a 1024 px laptop)."""
    from tests.browser.conftest import LOAD_TIMEOUT_MS

    context = browser.new_context(viewport={"width": request.param, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(LOAD_TIMEOUT_MS)
    pg.base_url = server  # type: ignore[attr-defined]
    pg.width = request.param  # type: ignore[attr-defined]
    yield pg
    context.close()


def _assert_tables_fit(pg, wanted: list[str]) -> None:
    """No table past its column, and each of ``wanted`` a header on screen."""
    wait_idle(pg)
    assert pg.evaluate(_CUT_TABLES) == []
    assert pg.evaluate(_HIDDEN_HEADERS) == []
    headers = pg.evaluate(_HEADERS)
    missing = [h for h in wanted if h not in headers]
    assert not missing, (missing, headers)


def test_detection_compare_and_evaluation_tables_fit(sized_page, coco8: Path, shared_models) -> None:
    pg = sized_page
    goto(pg, "detection")
    pg.get_by_text(es("common.compare")).first.click()
    wait_idle(pg)
    pg.get_by_text("Subir archivo").click()
    wait_idle(pg)
    upload_file(pg, coco8 / "images" / "val" / PHOTO, label=piece("input.upload"))
    upload_file(pg, coco8 / "labels" / "val" / PHOTO.replace(".jpg", ".txt"), label=piece("detection.truth_upload"))
    pg.get_by_text(es("detection.per_class_legend")[:40]).first.wait_for()
    assert_no_exception(pg)
    _assert_tables_fit(
        pg,
        [
            es("detection.col_notes"),  # the comparison table's last column
            es("detection.col_fn"),
            es("detection.col_map"),  # the evaluation's
            es("detection.col_fn_short"),
            es("detection.col_p_short"),  # per class: P, R and AP50 were never drawn
            es("detection.col_r_short"),
            es("detection.col_ap50"),
            es("detection.col_ap"),
            es("detection.col_box"),  # each model's boxes, in its narrow column
        ],
    )
    assert pg.evaluate(_CHIPS) == {"n": 2, "hidden": []}
    screenshot(pg, f"layout_detection_{pg.width}")


def test_classification_three_models_are_readable(sized_page) -> None:
    pg = sized_page
    goto(pg, "classification")
    pg.get_by_text(es("common.compare")).first.click()
    wait_idle(pg)
    picker = pg.locator('[data-testid="stMultiSelect"]').first
    picker.locator("input").first.click()
    pg.get_by_role("option").first.click()  # the third model
    wait_idle(pg)
    pg.keyboard.press("Escape")
    pg.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length === 3")
    wait_idle(pg)
    assert_no_exception(pg)
    chips = pg.evaluate(_CHIPS)
    assert chips == {"n": 3, "hidden": []}
    charts = pg.evaluate(_CHARTS)
    assert len(charts) == 3
    for chart in charts:
        assert chart["width"] >= 250, chart  # a column wide enough to read, stacked when it is not
        assert not chart["rotated"], chart
        assert len(set(chart["xticks"])) == len(chart["xticks"]) >= 3, chart  # not "0% 0% 0%"
        assert chart["ycut"] == [], chart
        assert chart["labels"] == chart["y"]  # the whole label on hover
    # every top label whole: the metric's value is not cut with "…", and the tables show the labels
    for value in pg.locator('[data-testid="stMetricValue"]').all():
        assert value.evaluate("(e) => [e, ...e.querySelectorAll('*')].every(x => x.scrollWidth <= x.clientWidth + 1)")
    for chart in charts:
        shown = " ".join(pg.locator('[data-testid="stTable"]').all_inner_texts())
        assert all(label in shown for label in chart["labels"]), chart["labels"]
    _assert_tables_fit(pg, [es("classification.col_label"), es("classification.col_score")])
    screenshot(pg, f"layout_classification_{pg.width}")


def test_zero_shot_compare_with_cosines_fits(sized_page) -> None:
    pg = sized_page
    goto(pg)  # a first visit to a deep link on a fresh server runs the page alone (test_clip_browser)
    goto(pg, "zero_shot")
    pg.get_by_text(es("zero_shot.compare")).first.click()
    wait_idle(pg)
    pg.get_by_text(es("zero_shot.cosine")).first.click()
    wait_idle(pg)
    pg.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length === 4")
    pg.get_by_role("heading", name=es("zero_shot.compare_table")).wait_for()
    wait_idle(pg)
    assert_no_exception(pg)
    assert pg.evaluate(_CUT_TABLES) == []  # each model's table with its "Coseno", and the two side by side
    for chart in pg.evaluate(_CHARTS):
        assert chart["width"] >= 250 and not chart["rotated"] and chart["ycut"] == [], chart
    screenshot(pg, f"layout_zero_shot_{pg.width}")


def test_clip_workshop_matrix_and_predictions_fit(sized_page) -> None:
    """The workshop's images × descriptions matrix and its predictions table, whole at both widths
    (in a right-hand column, the matrix lost its last descriptions at 1024 px)."""
    pg = sized_page
    goto(pg)
    goto(pg, "clip_workshop")
    pg.get_by_role("heading", name=es("clip_workshop.predictions")).wait_for()
    wait_idle(pg)
    assert_no_exception(pg)
    assert pg.evaluate(_CUT_TABLES) == []
    screenshot(pg, f"layout_clip_workshop_{pg.width}")
