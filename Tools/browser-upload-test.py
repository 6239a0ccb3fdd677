#!/usr/bin/env python3
"""Usage: Tools/browser-upload-test.py SERVER TOKEN ZIP — drives the /upload page of a running `exam serve` in
headless Chromium (Debian's chromium + chromium-driver, through Selenium): uploads ZIP in 64 KiB chunks, stops
after 3 chunks as a closed tab would, reloads the page, uploads again and checks that it resumed (not from 0),
then waits for the ingest report. Prints one JSON line: {"resumedAt": N, "state": "...", "report": {...}}.
Exit 0 on success, 1 on failure, 77 when chromium, chromedriver or selenium is missing (the caller skips).
"""
import json, os, sys, time

import browser_session

def main():
    server, token, zip_path = sys.argv[1], sys.argv[2], os.path.abspath(sys.argv[3])
    driver = browser_session.start()
    if driver is None:
        return 77
    from selenium.webdriver.common.by import By
    try:
        def run(query):
            driver.get(server + "/upload" + query)
            driver.find_element(By.ID, "token").clear()
            driver.find_element(By.ID, "token").send_keys(token)
            driver.find_element(By.ID, "file").send_keys(zip_path)
            driver.find_element(By.ID, "send").click()

        def wait_for(predicate, seconds=120):
            deadline = time.time() + seconds
            while time.time() < deadline:
                text = driver.find_element(By.ID, "state").text
                if predicate(text):
                    return text
                time.sleep(0.1)
            raise TimeoutError("page state stayed: " + driver.find_element(By.ID, "state").text)

        run("?chunkKiB=64&stopAfterChunks=3")
        stopped = wait_for(lambda t: t.startswith("Stopped at"))
        driver.refresh()
        run("?chunkKiB=64")
        final = wait_for(lambda t: t.startswith("Done:") or t.startswith("The batch was refused"))
        resumed = driver.find_element(By.ID, "resume").text
        report = json.loads(driver.find_element(By.ID, "report").text)
        resumed_at = int(resumed.split()[2]) if resumed.startswith("Resumed at") else 0
        print(json.dumps({"stopped": stopped, "resumedAt": resumed_at, "state": final, "report": report}))
        return 0 if resumed_at > 0 and final.startswith("Done:") else 1
    finally:
        driver.quit()

if __name__ == "__main__":
    sys.exit(main())
