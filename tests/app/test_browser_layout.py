"""Nothing truncated, nothing ambiguous (issue 13 item 2), measured in Chromium at 1440×900 and 1280×800.

On every page, with its expanders open and its main results drawn (the allocation solved, the
robustness sweeps and stability run, the AHP editor shown), no text is cut short: no text node
runs past an ancestor that clips it (``overflow: hidden`` / ``text-overflow: ellipsis`` — button
labels, widget labels, multiselect chips), no select box shows a value wider than its box, and no
Vega chart text (legend labels, axis labels, titles) ends in Vega's truncation mark "…". Sliders'
accessible names are their plain label (no Markdown source such as ``**Economic**``), and a
disabled control is drawn differently from an enabled one. A screenshot of each page at each size
goes to artifacts/ (``layout-<page>-<width>.png``).
"""

from __future__ import annotations

import re

import pytest

from tests.support import browser as bs

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

VIEWPORTS = [(1440, 900), (1280, 800)]
PAGES = ["Data", "Weights", "Ranking", "Allocation", "Scenarios & export", "Robustness"]

# every text node that runs past the first ancestor clipping it (up to its widget's container),
# every combobox whose value is wider than its box, every Vega text ending in Vega's ellipsis
OVERFLOW_JS = """
() => {
  const out = [];
  const root = document.querySelector('[data-testid="stApp"]') || document.body;
  const skip = '[data-testid="stDataFrame"], [data-testid="stTable"], [data-testid="stCode"], pre, code, '
             + '[data-testid="stTooltipContent"], [data-testid="stSkipLink"], a[href="#main"]';
  const stops = ['stElementContainer', 'stMultiSelectTagsContainer'];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  let n;
  while ((n = walker.nextNode())) {
    const t = n.textContent.trim();
    if (!t) continue;
    const el = n.parentElement;
    if (!el || el.closest(skip)) continue;
    if (el.namespaceURI === 'http://www.w3.org/2000/svg') {
      if (t.endsWith('\u2026') && el.getClientRects().length) out.push('chart text cut short: ' + t);
      continue;
    }
    const range = document.createRange();
    range.selectNodeContents(n);
    const rr = range.getBoundingClientRect();
    if (rr.width === 0 || rr.height === 0) continue;
    for (let a = el; a && a !== root; a = a.parentElement) {
      const cs = getComputedStyle(a);
      const clips = cs.textOverflow === 'ellipsis' || ['hidden', 'clip'].includes(cs.overflowX);
      const stop = a.dataset && stops.includes(a.dataset.testid);
      if (clips) {
        const ar = a.getBoundingClientRect();
        if (ar.width <= 2) break;  // a visually hidden helper text
        const over = Math.max(rr.right - ar.right, ar.left - rr.left);
        if (over > 1 || (cs.textOverflow === 'ellipsis' && a.scrollWidth > a.clientWidth + 1)) {
          if (!seen.has(t)) { seen.add(t); out.push(`text cut short by ${Math.round(over)}px: ${t.slice(0, 90)}`); }
          break;
        }
      }
      if (stop) break;
    }
  }
  for (const inp of root.querySelectorAll('input[role="combobox"]')) {
    if (!inp.getClientRects().length || inp.closest(skip)) continue;
    if (inp.value && inp.scrollWidth > inp.clientWidth + 1) out.push('select box value cut short: ' + inp.value);
  }
  return out;
}
"""


def _open_expanders(page) -> None:
    closed = page.locator('[data-testid="stExpander"] details:not([open]) > summary')
    for _ in range(closed.count()):
        closed.first.click()
        page.wait_for_timeout(100)
    bs.wait_idle(page)


def _click(page, role: str, name: str) -> None:
    page.get_by_role(role, name=name).first.click()
    bs.wait_idle(page, timeout=120_000)


def _cut(page, where: str) -> list[str]:
    bs.settle(page)
    return [f"{where}: {x}" for x in page.evaluate(OVERFLOW_JS)]


def _visit(page, name: str, width: int) -> list[str]:
    """Open page ``name``, draw its main results, return every piece of text cut short."""
    bs.goto_page(page, name)
    found: list[str] = []
    if name == "Allocation":
        _click(page, "button", "Solve")
        page.locator(".st-key-frontier_open summary").click()  # the frontier is computed when opened
        page.wait_for_selector(".st-key-frontier_chart", timeout=120_000)
    if name == "Robustness":
        page.get_by_role("tab", name="Weight sweeps").click()
        _click(page, "button", "Run sweeps")
        page.wait_for_selector(".st-key-sweep_chart", timeout=120_000)
        found += _cut(page, f"{name}/sweeps")
        page.get_by_role("tab", name="Stability of the shortlist").click()
        _click(page, "button", "Compute stability intervals")
        found += _cut(page, f"{name}/stability")
        page.get_by_role("tab", name="Rank acceptability (SMAA)").click()
    _open_expanders(page)
    found += _cut(page, name)
    short = name.split()[0].lower()
    bs.screenshot(page, f"layout-{short}-{width}")
    if name == "Weights":
        page.get_by_text("AHP pairwise judgements").click()
        bs.wait_idle(page)
        _open_expanders(page)
        found += _cut(page, f"{name}/AHP")
        bs.screenshot(page, f"layout-weights-ahp-{width}")
        page.get_by_text("Sliders (direct weights)").click()
        bs.wait_idle(page)
    return found


@pytest.mark.parametrize("size", VIEWPORTS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_text_is_cut_short_on_any_page(page, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    bs.settle(page)
    found: list[str] = []
    for name in PAGES:
        found += _visit(page, name, size[0])
    assert found == [], "\n".join(found)


def test_sliders_have_plain_accessible_names(page):
    bs.goto_page(page, "Weights")
    page.wait_for_selector("input[type=range]")
    sliders = page.get_by_role("slider")
    assert sliders.count() >= 3
    names = [sliders.nth(i).evaluate("e => e.getAttribute('aria-label') || ''") for i in range(sliders.count())]
    markup = [n for n in names if re.search(r"[*_`\\]{1,2}\w", n)]
    assert markup == [], f"slider names carry Markdown source: {markup}"
    assert any(n.endswith("— group total") for n in names), names


def test_a_disabled_control_looks_disabled(page):
    """The spread slider is disabled unless weights are sampled 'around mine': its thumb is drawn greyed out."""
    bs.goto_page(page, "Robustness")
    box = page.locator('[data-testid="stSlider"]').filter(has_text="spread around my weights")
    thumb = "e => getComputedStyle(e.querySelector('input[type=range]').parentElement.parentElement).backgroundColor"
    on = box.evaluate(thumb)
    page.locator('[data-testid="stRadio"]').filter(has_text="Weights sampled").get_by_text("anywhere").click()
    bs.wait_idle(page)
    assert box.locator("input[type=range]").is_disabled()
    off = box.evaluate(thumb)
    assert off != on, f"a disabled slider is drawn like an enabled one ({on})"
    page.locator('[data-testid="stRadio"]').filter(has_text="Weights sampled").get_by_text("around mine").click()
    bs.wait_idle(page)
