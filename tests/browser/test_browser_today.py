"""An operator finds today's items for their commune and downloads one programme,
in a real headless Chromium at desktop and phone width (Selenium + Debian's chromedriver).

"Today" is computed in the browser from the embedded schedule in the issuer's timezone;
`?ngay=YYYY-MM-DD` pins it (the sample week is February 2023). Screenshots go to
/tmp/truyenthanh-today-*.png.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path("/tmp")

pytestmark = pytest.mark.browser

if not CHROMIUM.exists():
    pytest.skip(
        "/usr/bin/chromium is absent; install it with "
        "`apt-get install -y chromium chromium-driver` to run the browser tests",
        allow_module_level=True,
    )

from selenium.webdriver.common.by import By  # noqa: E402
from test_browser_page import chrome, type_filter, wait_for_download  # noqa: E402

from truyenthanh.serve import make_server  # noqa: E402

WIDTHS = {"desktop": (1280, False), "phone": (360, True)}


@pytest.fixture(scope="module")
def base_url(sample_out):
    server = make_server(sample_out.root, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("device", list(WIDTHS))
def test_operator_finds_todays_items_and_downloads_one_programme(
    device, base_url, sample_out, tmp_path
):
    width, mobile = WIDTHS[device]
    driver = chrome(tmp_path)
    try:
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": mobile},
        )
        driver.get(base_url + "/?ngay=2023-02-22")  # Wednesday: the storm notice starts today
        type_filter(driver, "phu phong")
        area = driver.find_element(By.ID, "xa-phu-phong")
        assert "CÓ TIN KHẨN CẤP" in area.find_element(By.TAG_NAME, "h3").text.upper()
        today = area.find_element(By.CSS_SELECTOR, "section.today .today-js")
        assert today.is_displayed()
        driver.execute_script(
            "arguments[0].scrollIntoView()", area.find_element(By.CSS_SELECTOR, "section.today")
        )
        assert today.find_element(By.CSS_SELECTOR, ".today-date").text == "Thứ tư 22/02/2023"
        slots = [s.text for s in today.find_elements(By.CSS_SELECTOR, ".today-slot > .slot")]
        assert slots == ["Buổi 05:30", "Buổi 11:00", "Buổi 17:00"]
        first = today.find_elements(By.CSS_SELECTOR, ".today-slot")[0].find_elements(
            By.CSS_SELECTOR, "li"
        )
        assert (
            "KHẨN CẤP" in first[0].text.upper()
            and "Chủ động phòng, chống bão số 1" in first[0].text
        )
        assert driver.execute_script("return document.documentElement.scrollWidth") <= width
        driver.save_screenshot(str(SHOTS / f"truyenthanh-today-{device}.png"))

        link = first[0].find_element(By.TAG_NAME, "a")
        name = link.get_attribute("download")
        assert name == "phu-phong_2023-W08_phong-chong-bao.mp3"
        link.click()
        got = wait_for_download(tmp_path, name)
        assert (
            got.read_bytes() == (sample_out.root / "2023-W08/audio/phu-phong" / name).read_bytes()
        )

        # Monday: the storm notice is not yet valid, so it is not among today's items.
        driver.get(base_url + "/?ngay=2023-02-20")
        text = driver.find_element(By.CSS_SELECTOR, "#xa-phu-phong .today-js").text
        assert "Thứ hai 20/02/2023" in text and "Tuyên truyền cải cách hành chính" in text
        assert "phòng, chống bão" not in text
    finally:
        driver.quit()


def test_a_day_after_the_newest_bundle_says_there_is_no_schedule_yet(base_url, tmp_path):
    driver = chrome(tmp_path)
    try:
        driver.get(base_url + "/?ngay=2024-05-01")
        box = driver.find_element(By.CSS_SELECTOR, "#xa-binh-hoa .today-js")
        assert "Thứ tư 01/05/2024" in box.text
        assert "Chưa có lịch phát cho hôm nay: gói mới nhất chỉ đến ngày 26/02/2023" in box.text
        # Without ?ngay the browser's own date is used (the sample week is long past).
        driver.get(base_url + "/")
        assert (
            "Chưa có lịch phát cho hôm nay"
            in driver.find_element(By.CSS_SELECTOR, "#xa-binh-hoa .today-js").text
        )
    finally:
        driver.quit()
