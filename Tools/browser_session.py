"""Headless Chromium for the browser tests (Tools/browser-*-test.py): Debian's chromium + chromium-driver through
Selenium. `start(extra_flags)` returns a WebDriver, or None after printing what is missing (callers exit 77: skip)."""
import shutil, sys


def start(extra_flags=()):
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        print("selenium is not installed (apt-get install python3-selenium)", file=sys.stderr)
        return None
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not browser or not driver_path:
        print("chromium or chromedriver is not installed (apt-get install chromium chromium-driver)", file=sys.stderr)
        return None
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", *extra_flags]:
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(driver_path), options=options)
