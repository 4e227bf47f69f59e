"""The download page in a real headless Chromium, served by `make_server`.

Driver: Selenium with Debian's chromedriver (`apt-get install chromium
chromium-driver`), which always matches the installed Chromium; both are found on
PATH and nothing is downloaded at run time. Without them the module skips (one
line says how to enable it); with CI=true it fails instead. Screenshots go to /tmp/truyenthanh-page-*.png.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.browserenv import browser_or_reason

SHOTS = Path("/tmp")

pytestmark = pytest.mark.browser

# Skips this module on a machine without a browser (one line, saying how to enable it);
# fails it when CI=true.
CHROMIUM, CHROMEDRIVER, WHY_NOT = browser_or_reason()
if WHY_NOT:
    pytest.skip(WHY_NOT, allow_module_level=True)

from selenium import webdriver  # noqa: E402  (a missing selenium is a setup error, not a skip)
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from truyenthanh.bundle import verify_bundle  # noqa: E402
from truyenthanh.serve import make_server  # noqa: E402

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--autoplay-policy=no-user-gesture-required",
    "--window-size=1280,900",
]


def chrome(download_dir: Path, javascript: bool = True) -> webdriver.Chrome:
    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for arg in ARGS:
        opts.add_argument(arg)
    prefs = {
        "download.default_directory": str(download_dir),
        "download.prompt_for_download": False,
        "download.directory_upgrade": True,
        "safebrowsing.enabled": False,
    }
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    opts.add_experimental_option("prefs", prefs)
    # Headless Chromium leaves its singleton socket directory (org.chromium.Chromium.*) in its
    # TMPDIR when it quits: five a run were piling up in /tmp. It gets a directory of its own,
    # removed when the browser quits; a short one, as a socket's path has at most 107 bytes
    # (pytest's tmp_path is too long for it: Chromium does not start).
    scratch = tempfile.mkdtemp(prefix="tt-chromium-")
    service = Service(executable_path=str(CHROMEDRIVER), env={**os.environ, "TMPDIR": scratch})
    try:
        driver = webdriver.Chrome(service=service, options=opts)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    quit_browser = driver.quit

    def quit_and_clean() -> None:
        try:
            quit_browser()
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    driver.quit = quit_and_clean
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(download_dir)}
    )
    return driver


@pytest.fixture(scope="module")
def base_url(sample_out):
    server = make_server(sample_out.root, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads):
    driver = chrome(downloads)
    yield driver
    driver.quit()


def visible_areas(driver) -> list[str]:
    return [
        a.get_attribute("id")
        for a in driver.find_elements(By.CSS_SELECTOR, "article.area")
        if a.is_displayed()
    ]


def type_filter(driver, text: str) -> None:
    box = driver.find_element(By.ID, "loc")
    box.clear()
    box.send_keys(text)


def wait_for_download(folder: Path, name: str, timeout: float = 20.0) -> Path:
    target = folder / name
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if target.is_file() and not list(folder.glob("*.crdownload")):
            return target
        time.sleep(0.1)
    raise AssertionError(
        f"download of {name} did not finish; folder has {sorted(p.name for p in folder.iterdir())}"
    )


def test_operator_finds_commune_downloads_bundle_and_a_days_bulletin_plays(
    browser, base_url, downloads, sample_out
):
    browser.get(base_url + "/")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi"
    assert "Gói phát thanh" in browser.title

    box = browser.find_element(By.ID, "loc")
    assert box.is_displayed()  # JS revealed the filter
    label = browser.find_element(By.CSS_SELECTOR, "label[for=loc]")
    assert "Tìm địa bàn" in label.text

    type_filter(browser, "tay vinh")  # no diacritics on a cheap phone keyboard
    assert visible_areas(browser) == ["xa-tay-vinh"]
    assert browser.find_element(By.ID, "loc-status").text == "Tìm thấy 1 địa bàn."
    type_filter(browser, "khong co xa nao")
    assert visible_areas(browser) == []
    assert browser.find_element(By.ID, "loc-none").is_displayed()
    type_filter(browser, "Bình Hòa")
    assert visible_areas(browser) == ["xa-binh-hoa"]
    toc = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#toc li") if li.is_displayed()]
    assert toc == ["xã Bình Hòa KHẨN CẤP"]  # the badge says the commune has an emergency notice

    area = browser.find_element(By.ID, "xa-binh-hoa")
    link = area.find_element(By.CSS_SELECTOR, "a.download")
    assert "Tải cả gói tuần" in link.text
    link.click()
    name = "binh-hoa_2023-W08_goi-phat-thanh.zip"
    got = wait_for_download(downloads, name)
    assert zipfile.is_zipfile(got)
    with zipfile.ZipFile(got) as zf:
        assert zf.testzip() is None and "manifest.json" in zf.namelist()
    assert verify_bundle(got) == []
    assert got.read_bytes() == (sample_out.root / "2023-W08/bundles" / name).read_bytes()

    # A day's bulletin, as linked from the page, loads and decodes in the browser (byte ranges).
    day = area.find_element(By.CSS_SELECTOR, 'details.day[data-date="2023-02-20"]')
    browser.execute_script("arguments[0].open = true", day)
    src = day.find_element(By.PARTIAL_LINK_TEXT, "Bản tin cả ngày").get_property("href")
    assert src == f"{base_url}/2023-W08/audio/binh-hoa/binh-hoa_2023-W08_ban-tin_thu-hai-20-02.mp3"
    with urllib.request.urlopen(src, timeout=10) as resp:
        assert resp.status == 200 and resp.headers["Content-Type"] == "audio/mpeg"
    duration = browser.execute_async_script(
        "const a = new Audio(), done = arguments[arguments.length - 1];"
        "a.addEventListener('loadedmetadata', () => done(a.duration), {once: true});"
        "a.addEventListener('error', () => done('error ' + (a.error && a.error.code)), {once: true});"
        "a.preload = 'metadata'; a.src = arguments[0];",
        src,
    )
    assert isinstance(duration, (int, float)) and 0.9 < duration < 1.3, duration


def test_page_loads_nothing_from_elsewhere(browser, base_url):
    browser.get(base_url + "/")
    names = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
        ".concat(performance.getEntriesByType('navigation').map(e => e.name));"
    )
    assert names and all(n.startswith(base_url + "/") for n in names), names


CONTRAST_JS = r"""
function parse(c) { const m = c.match(/[\d.]+/g).map(Number); return {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1}; }
function lum(c) { return [c.r, c.g, c.b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
  .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0); }
function bg(el) { for (; el; el = el.parentElement) { const c = parse(getComputedStyle(el).backgroundColor); if (c.a > 0.5) return c; }
  return {r: 255, g: 255, b: 255, a: 1}; }
const bad = [];
for (const el of document.querySelectorAll('body *')) {
  if (!el.offsetParent && getComputedStyle(el).position !== 'fixed') continue;
  const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
  if (!own) continue;
  const cs = getComputedStyle(el), fg = parse(cs.color), b = bg(el);
  const l1 = lum(fg), l2 = lum(b), ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
  const size = parseFloat(cs.fontSize), bold = parseInt(cs.fontWeight) >= 700;
  const need = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
  if (ratio < need) bad.push([el.tagName, el.className, el.textContent.trim().slice(0, 40), ratio.toFixed(2)]);
}
return bad;
"""


def test_text_contrast_meets_wcag_aa(browser, base_url):
    browser.get(base_url + "/")
    for d in browser.find_elements(By.TAG_NAME, "details"):
        browser.execute_script("arguments[0].open = true", d)
    assert browser.execute_script(CONTRAST_JS) == []


def full_page_screenshot(driver, width: int, mobile: bool, path: Path) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": mobile},
    )
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": min(height, 12000), "deviceScaleFactor": 1, "mobile": mobile},
    )
    driver.save_screenshot(str(path))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_screenshots_desktop_and_phone(browser, base_url):
    browser.get(base_url + "/")
    full_page_screenshot(browser, 1280, False, SHOTS / "truyenthanh-page-1280.png")
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 360, "height": 740, "deviceScaleFactor": 1, "mobile": True},
    )
    browser.get(base_url + "/")
    # Nothing may be wider than a 360 px phone: no sideways scrolling.
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 360
    type_filter(browser, "phu phong")
    browser.save_screenshot(str(SHOTS / "truyenthanh-page-360-filtered.png"))
    browser.get(base_url + "/")
    full_page_screenshot(browser, 360, True, SHOTS / "truyenthanh-page-360.png")
    for name in ("1280", "360", "360-filtered"):
        assert (SHOTS / f"truyenthanh-page-{name}.png").stat().st_size > 10_000


def test_without_javascript_everything_is_listed(base_url, tmp_path):
    driver = chrome(tmp_path, javascript=False)
    try:
        driver.get(base_url + "/")
        assert not driver.find_element(By.ID, "loc").is_displayed()
        assert visible_areas(driver) == ["xa-binh-hoa", "xa-tay-vinh", "xa-phu-phong"]
        link = driver.find_element(By.CSS_SELECTOR, "#toc a[href='#xa-phu-phong']")
        link.click()
        WebDriverWait(driver, 5).until(lambda d: d.current_url.endswith("#xa-phu-phong"))
        assert driver.find_elements(By.CSS_SELECTOR, "#xa-phu-phong a.download")
        # "Hôm nay phát" needs JS; without it the week is listed day by day.
        assert not driver.find_element(By.CSS_SELECTOR, "#xa-phu-phong .today-js").is_displayed()
        days = driver.find_elements(By.CSS_SELECTOR, "#xa-phu-phong details.day")
        assert [d.find_element(By.TAG_NAME, "summary").text for d in days][:2] == [
            "Thứ hai 20/02/2023 – 1 tin",
            "Thứ ba 21/02/2023 – 1 tin",
        ]
    finally:
        driver.quit()


def test_not_found_page_in_the_browser(browser, base_url):
    browser.get(base_url + "/2023-W08/khong-co.zip")
    assert "Không tìm thấy trang" in browser.find_element(By.TAG_NAME, "h1").text
    browser.find_element(By.LINK_TEXT, "Về trang tải gói phát thanh").click()
    WebDriverWait(browser, 5).until(lambda d: d.current_url == base_url + "/")
