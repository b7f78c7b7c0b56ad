#!/usr/bin/env python3
"""The studio in a real browser: Debian's Chromium, headless, driven by Selenium.

Starts `impasto serve` on a free port with a fresh data folder, uploads two tiny images through
the page, runs a short Gatys job and waits for a preview and the finished result, runs the
webcam mode on Chromium's fake camera at 320x240 and 640x480 and reads the page's frames/s,
then polls the gallery from 20 clients while a job streams. Screenshots are checked not to be
blank. Prints a JSON report; exits non-zero on any failure.

    python3 Tests/Browser/studio_browser_test.py [--impasto .build/debug/impasto]
        [--screenshots DIR] [--report FILE] [--live-seconds 8] [--min-fps 0]
        [--photo FILE --painting FILE --steps 40 --size 512 --shot-at-step 1 --camera-clip CLIP.y4m]
        (the README's pictures: scripts/readme-studio.sh)
"""
import argparse
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import zlib

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PHOTO = os.path.join(ROOT, "Tests/Fixtures/images/tiny/chelsea-cat-64x48.png")
PAINTING = os.path.join(ROOT, "Tests/Fixtures/images/tiny/starry-night-64x48.png")


def start_server(impasto, data):
    server = subprocess.Popen([impasto, "serve", "--port", "0", "--data", data],
                              stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        line = server.stderr.readline()
        if not line:
            break
        match = re.search(r"http://([\d.]+:\d+)/", line)
        if match:
            threading.Thread(target=lambda: [None for _ in server.stderr], daemon=True).start()
            return server, "http://" + match.group(1)
    server.kill()
    raise SystemExit("the server did not say where it listens")


def browser(camera_clip=None):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,960",
                 "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]:
        options.add_argument(flag)
    if camera_clip:
        options.add_argument(f"--use-file-for-fake-video-capture={camera_clip}")
    return webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)


def not_blank(path):
    """Whether a PNG screenshot has real content: many distinct byte values once inflated."""
    with open(path, "rb") as file:
        data = file.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    chunks, offset = [], 8
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        if kind == b"IDAT":
            chunks.append(data[offset + 8:offset + 8 + length])
        offset += 12 + length
    return len(set(zlib.decompress(b"".join(chunks)))) >= 64


def screenshot(driver, folder, name):
    path = os.path.join(folder, name)
    driver.execute_script("window.scrollTo(0, 0)")
    driver.save_screenshot(path)
    assert not_blank(path), f"screenshot {path} is blank"
    return path


def slider_milliseconds(driver, wait):
    """Median time from moving the strength slider to the new instant picture (three moves)."""
    wait.until(lambda d: d.find_element(By.ID, "preview-image").get_attribute("data-milliseconds"))
    times = []
    for value in [0.8, 0.6, 0.4]:
        before = driver.find_element(By.ID, "preview-image").get_attribute("src")
        driver.execute_script(f"const strength = document.getElementById('strength'); strength.value = {value}; "
                              "strength.dispatchEvent(new Event('input'))")
        wait.until(lambda d: d.find_element(By.ID, "preview-image").get_attribute("src") != before)
        times.append(int(driver.find_element(By.ID, "preview-image").get_attribute("data-milliseconds")))
    return sorted(times)[1]


def paint(driver, wait, url, folder, options):
    driver.get(url)
    driver.find_element(By.ID, "photo-input").send_keys(options.photo)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#photos img.selected"))
    slider = {"builtin": slider_milliseconds(driver, wait)}
    driver.find_element(By.ID, "style-kind-paintings").click()
    driver.find_element(By.ID, "painting-input").send_keys(options.painting)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#paintings img.selected"))
    slider["painting"] = slider_milliseconds(driver, wait)
    driver.find_element(By.ID, "method-gatys").click()
    driver.execute_script(f"const steps = document.getElementById('steps'); steps.value = {options.steps}; "
                          "steps.dispatchEvent(new Event('input'))")
    Select(driver.find_element(By.ID, "size")).select_by_value(str(options.size))
    started = time.time()
    driver.find_element(By.ID, "start").click()
    wait.until(lambda d: "/api/jobs/" in (d.find_element(By.ID, "preview-image").get_attribute("src") or ""))
    wait.until(lambda d: int(d.find_element(By.ID, "step").text or 0) >= options.shot_at_step)
    shots = [screenshot(driver, folder, "studio-running.png")]
    wait.until(lambda d: d.find_element(By.ID, "status").text in ("finished", "failed", "cancelled"))
    status = driver.find_element(By.ID, "status").text
    assert status == "finished", f"the Gatys job ended {status}: {driver.find_element(By.ID, 'message').text}"
    seconds = time.time() - started
    link = driver.find_element(By.ID, "download-png").get_attribute("href")
    with urllib.request.urlopen(link) as response:
        assert response.read(8) == b"\x89PNG\r\n\x1a\n", "the download is not a PNG"
    shots.append(screenshot(driver, folder, "studio-finished.png"))
    return seconds, slider, shots


def webcam(driver, wait, folder, seconds):
    driver.find_element(By.ID, "style-kind-builtin").click()
    driver.find_element(By.CSS_SELECTOR, "#builtin-styles img").click()
    driver.find_element(By.ID, "tab-live").click()
    rates, shots = {}, []
    for size in ["320x240", "640x480"]:
        if rates:  # switch the style too while it runs
            Select(driver.find_element(By.ID, "live-style")).select_by_index(3)
        Select(driver.find_element(By.ID, "live-size")).select_by_value(size)
        if not rates:
            driver.find_element(By.ID, "live-start").click()
        width = int(size.split("x")[0])
        wait.until(lambda d: d.execute_script("return document.getElementById('live-canvas').width") == width)
        wait.until(lambda d: float(d.find_element(By.ID, "live-fps").get_attribute("data-rate") or 0) > 0)
        time.sleep(seconds)
        rate = float(driver.find_element(By.ID, "live-fps").get_attribute("data-rate"))
        server = driver.find_element(By.ID, "live-server").text
        rates[size] = {"frames_per_second": rate, "server_milliseconds": float(server) if server != "–" else None,
                       "skipped": int(driver.find_element(By.ID, "live-dropped").text)}
        shots.append(screenshot(driver, folder, f"studio-live-{size}.png"))
    driver.find_element(By.ID, "live-stop").click()
    return rates, shots


def load(url, clients=20, seconds_limit=300):
    """20 clients poll the gallery while one job streams its events to a 21st; returns the polls,
    the errors, the job's status as polled, and the last status its event stream sent."""
    def call(path, body=None):
        request = urllib.request.Request(url + path, data=json.dumps(body).encode() if body else None,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")

    photo = call("/api/images?role=photo")[0]["id"]
    painting = call("/api/images?role=painting")[0]["id"]
    job = call("/api/jobs", {"method": "gatys", "photo": photo, "style": {"painting": painting}, "steps": 60})
    counts, errors, streamed, done = [0], [], [None], threading.Event()

    def poll():
        while not done.is_set():
            try:
                call("/api/jobs")
                counts[0] += 1
            except Exception as error:  # every failure counts; the test reports them
                errors.append(repr(error))
            time.sleep(0.05)

    def stream():
        try:
            with urllib.request.urlopen(f"{url}/api/jobs/{job['id']}/events", timeout=seconds_limit) as response:
                for line in response:
                    if line.startswith(b"data: ") and b'"status"' in line:
                        streamed[0] = json.loads(line[6:])["status"]
        except Exception as error:
            errors.append("event stream: " + repr(error))

    threads = [threading.Thread(target=poll) for _ in range(clients)] + [threading.Thread(target=stream)]
    for thread in threads:
        thread.start()
    deadline = time.time() + seconds_limit
    status = "queued"
    while time.time() < deadline and status in ("queued", "running"):
        time.sleep(0.5)
        status = call(f"/api/jobs/{job['id']}")["status"]
    done.set()
    for thread in threads:
        thread.join()
    return counts[0], errors, status, streamed[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--impasto", default=os.path.join(ROOT, ".build/debug/impasto"))
    parser.add_argument("--screenshots", default=None)
    parser.add_argument("--report", default=None)
    parser.add_argument("--live-seconds", type=float, default=8)
    parser.add_argument("--min-fps", type=float, default=0, help="fail when 320x240 is slower than this")
    parser.add_argument("--photo", default=PHOTO)
    parser.add_argument("--painting", default=PAINTING)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--size", type=int, default=512, choices=[256, 384, 512, 768, 1024])
    parser.add_argument("--camera-clip", default=None, help="a .y4m or .mjpeg clip for the fake camera")
    parser.add_argument("--shot-at-step", type=int, default=1, help="the step of the mid-run screenshot")
    arguments = parser.parse_args()
    data = tempfile.mkdtemp(prefix="impasto-studio-browser-")
    folder = arguments.screenshots or tempfile.mkdtemp(prefix="impasto-studio-shots-")
    os.makedirs(folder, exist_ok=True)
    server, url = start_server(arguments.impasto, data)
    driver = None
    try:
        driver = browser(arguments.camera_clip)
        wait = WebDriverWait(driver, 240, poll_frequency=0.2)
        gatys_seconds, slider, shots = paint(driver, wait, url, folder, arguments)
        rates, live_shots = webcam(driver, wait, folder, arguments.live_seconds)
        requests, errors, status, streamed = load(url)
        report = {"url": url, "gatys_job_seconds": round(gatys_seconds, 1), "slider_to_picture_milliseconds": slider,
                  "live": rates,
                  "load": {"clients": 20, "requests": requests, "errors": len(errors), "job_status": status,
                           "streamed_status": streamed},
                  "screenshots": shots + live_shots}
        print(json.dumps(report, indent=2))
        if arguments.report:
            with open(arguments.report, "w") as file:
                json.dump(report, file, indent=2)
        assert not errors, f"{len(errors)} gallery polls failed, first: {errors[0]}"
        assert status == "finished", f"the job under load ended {status}"
        assert streamed == "finished", f"the job's event stream last said {streamed}"
        assert requests > 100, f"only {requests} gallery polls in the load test"
        slowest = rates["320x240"]["frames_per_second"]
        assert slowest > 0 and slowest >= arguments.min_fps, f"live mode ran {slowest:.1f} frames/s at 320x240"
        print("studio browser test passed")
    finally:
        if driver:
            driver.quit()
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            raise SystemExit("the server did not stop within 30 s of SIGTERM")
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
