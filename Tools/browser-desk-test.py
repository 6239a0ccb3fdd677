#!/usr/bin/env python3
"""Usage: Tools/browser-desk-test.py SERVER RATER ARBITER OFFICE — drives the marking desk of a running `exam serve`
in headless Chromium (Debian's chromium + chromium-driver, through Selenium) at 1366x768, with the keyboard only:
RATER logs in (password `password-RATER`), flags the first answer, marks five answers (digits, Enter; Space plays,
R replays), ARBITER settles the first answer waiting for arbitration with a reason, OFFICE opens /marking and reads
the counts. Checks focus order (the mark field has the focus on each answer, every input has a label) and that
nothing scrolls sideways at 1366 px. Prints one JSON line with what it saw.
Exit 0 on success, 1 on failure, 77 when chromium, chromedriver or selenium is missing (the caller skips).
"""
import json, sys, time

import browser_session

def main():
    server, rater, arbiter, office = sys.argv[1:5]
    driver = browser_session.start(["--window-size=1366,768", "--autoplay-policy=no-user-gesture-required",
                                    "--mute-audio"])
    if driver is None:
        return 77
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    seen = {"flagged": None, "marked": [], "played": False, "arbitrated": None, "office": None, "problems": []}

    def keys(*sequence):
        ActionChains(driver).send_keys(*sequence).perform()

    def active_id():
        return driver.execute_script("return document.activeElement && document.activeElement.id")

    def wait_url(part, seconds=20):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if part in driver.current_url:
                return
            time.sleep(0.05)
        raise TimeoutError("stayed at " + driver.current_url + ": " + driver.find_element(By.TAG_NAME, "main").text[:300])

    def check_page():
        width = driver.execute_script("return document.documentElement.scrollWidth")
        if width > 1366:
            seen["problems"].append("page %s is %d px wide" % (driver.current_url, width))
        unlabelled = driver.execute_script(
            "return [...document.querySelectorAll('input:not([type=hidden]),button')].filter(e => !(e.labels && e.labels.length)"
            " && !e.closest('label') && !(e.tagName === 'BUTTON' && e.textContent.trim())).map(e => e.id || e.name)")
        if unlabelled:
            seen["problems"].append("no label on %s at %s" % (unlabelled, driver.current_url))

    def login(who):
        driver.delete_all_cookies()
        driver.get(server + "/login")
        check_page()
        if active_id() != "rater":
            seen["problems"].append("login form does not start in the rater field")
        keys(who, Keys.TAB, "password-" + who, Keys.ENTER)

    try:
        login(rater)
        wait_url("/mark")
        for n in range(5):
            if not driver.find_elements(By.ID, "points"):
                raise RuntimeError("no answer to mark after %d: %s" % (n, driver.find_element(By.TAG_NAME, "main").text[:200]))
            check_page()
            answer = driver.find_element(By.ID, "markform").get_attribute("action").rsplit("/", 1)[1]
            if active_id() != "points":
                seen["problems"].append("answer %s: focus is on %r, not the mark field" % (answer, active_id()))
            bottom = driver.execute_script("return document.getElementById('points').getBoundingClientRect().bottom")
            if bottom > 768:
                seen["problems"].append("answer %s: the mark field is below the fold (%d px)" % (answer, bottom))
            keys(" ")  # play
            time.sleep(0.3)
            if not driver.execute_script("return document.getElementById('audio').paused"):
                seen["played"] = True
            keys("r", " ")  # replay the last 5 s, then pause
            if n == 0:
                keys("f")  # to the flag form: first reason (no sound) selected with Space, comment, Enter
                keys(" ", Keys.TAB, "hardly audible", Keys.ENTER)
                wait_url("flagged=" + answer)
                seen["flagged"] = answer
            keys(str(n % 4), Keys.ENTER)
            wait_url("saved=" + answer)
            seen["marked"].append(answer)

        login(arbiter)
        wait_url("/mark")
        driver.get(server + "/arbitrate")
        check_page()
        form = driver.find_elements(By.CSS_SELECTOR, "form[action^='/arbitrate/']")
        if not form:
            raise RuntimeError("nothing to arbitrate: " + driver.find_element(By.TAG_NAME, "main").text[:200])
        case = form[0].get_attribute("action").rsplit("/", 1)[1]
        if active_id() != "points":
            seen["problems"].append("arbitration: focus is on %r, not the mark field" % active_id())
        keys("2", Keys.TAB, "content clear, grammar weak", Keys.ENTER)
        wait_url("settled=" + case)
        seen["arbitrated"] = case

        login(office)
        wait_url("/marking")
        check_page()
        seen["office"] = {
            "waitingForArbitration": int(driver.find_element(By.ID, "waiting-arbitration").text),
            "raterRow": [r.text for r in driver.find_elements(By.CSS_SELECTOR, "#raters tbody tr") if r.text.startswith(rater + " ")][0],
            "drift": len(driver.find_elements(By.CSS_SELECTOR, "svg polyline")),
        }
        print(json.dumps(seen))
        return 0 if not seen["problems"] and len(seen["marked"]) == 5 else 1
    except Exception as error:
        seen["problems"].append(repr(error))
        print(json.dumps(seen))
        return 1
    finally:
        driver.quit()

if __name__ == "__main__":
    sys.exit(main())
